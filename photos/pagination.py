from project.pagination import (
    BoundedPageNumberPagination,
    page_size_from,
)


class PhotoPagination(BoundedPageNumberPagination):
    """The platform's bounded-count paging (a prolific user's stream is never counted
    whole), also accepting the book's `?limit=` as the page size."""

    def get_page_size(self, request) -> int:
        param = "limit" if "limit" in request.query_params else self.page_size_query_param
        return page_size_from(request, param, default=self.page_size, maximum=self.max_page_size)


class PhotoStreamPagination(BoundedPageNumberPagination):
    """Streams of everyone's photos: no whole-table count."""
