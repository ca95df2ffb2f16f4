from rest_framework.pagination import _positive_int

from project.pagination import PageNumberPagination


class PhotoPagination(PageNumberPagination):
    """The platform's paging, also accepting the book's `?limit=` as the page size."""

    def get_page_size(self, request) -> int:
        for param in (self.page_size_query_param, "limit"):
            if param in request.query_params:
                try:
                    return _positive_int(
                        request.query_params[param], strict=True, cutoff=self.max_page_size
                    )
                except ValueError:
                    break
        return self.page_size
