from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from project.paginators import BoundedCountPaginator


def page_size_from(request, param: str, *, default: int, maximum: int) -> int:
    """`?<param>=` as a page size: absent -> default, above maximum -> maximum, and
    anything but a whole number from 1 up is a 400 (DRF silently used the default)."""
    raw = request.query_params.get(param)
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if size < 1 or not raw.strip().isdigit():
        raise ValidationError({param: [f"A whole number from 1 to {maximum}."]}, code="invalid")
    return min(size, maximum)


class PageNumberPagination(pagination.PageNumberPagination):
    """20 per page by default; clients may ask for up to 100 with ?page_size=.

    Bad values, one rule each (stated in the schema): a `page` that is not the number of
    an existing page (empty, text, 0, negative, past the end, too big for any database)
    is DRF's 404 `{"detail": "Invalid page."}`; a `page_size` above the maximum is
    clamped to it, and one that is not a whole number from 1 is a 400.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()  # ?page= is an integer, as the schema says

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound("Invalid page.")  # DRF read an empty ?page= as page 1
        return super().get_page_number(request, paginator)

    def get_page_size(self, request) -> int:
        return page_size_from(
            request, self.page_size_query_param, default=self.page_size, maximum=self.max_page_size
        )

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        rules = {
            self.page_query_param: 'A page that does not exist is a 404 "Invalid page.".',
            self.page_size_query_param: (
                f"{self.page_size} by default; larger values are clamped to "
                f"{self.max_page_size}, anything but a whole number from 1 is a 400."
            ),
        }
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["description"] = f"{parameter['description']} {rules[parameter['name']]}"
        return parameters


class BoundedPageNumberPagination(PageNumberPagination):
    """The platform's page-number paging without a whole-table COUNT per request.

    Counting stops `count_ahead` rows past the requested page (project/paginators.py):
    `count` is exact for shorter lists; for longer ones it is a lower bound and
    `count_is_lower_bound` is true, while `next` keeps working page after page.
    `?page=last` is not offered: finding the last page would mean counting everything.
    """

    django_paginator_class = BoundedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_is_lower_bound"] = self.page.paginator.count_is_capped
        return response

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Exact when `count_is_lower_bound` is false; otherwise at least this many "
            f"(counting stops {BoundedCountPaginator.count_ahead} results past the page)."
        )
        response["properties"]["count_is_lower_bound"] = {"type": "boolean", "example": False}
        response["required"] = [*response.get("required", []), "count_is_lower_bound"]
        return response
