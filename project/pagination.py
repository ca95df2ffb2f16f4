from rest_framework import pagination

from project.paginators import BoundedCountPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """20 per page by default; clients may ask for up to 100 with ?page_size=.

    Bad values, one rule each (DRF's own, stated in the schema): a `page` that is not a
    number of an existing page (text, 0, negative, past the end, too big for any
    database) is a 404 `{"detail": "Invalid page."}`; a `page_size` above the maximum is
    clamped to it, one that is not a positive whole number falls back to the default.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "A page number within the paginated result set, from 1. A page that "
                    'does not exist (or is not a number) is a 404 "Invalid page.".'
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Results per page, {self.page_size} by default. Larger values are "
                    f"clamped to {self.max_page_size}; anything but a positive whole number "
                    "means the default."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class BoundedPageNumberPagination(PageNumberPagination):
    """The platform's page-number paging without a whole-table COUNT per request.

    Counting stops `count_ahead` rows past the requested page (project/paginators.py):
    `count` is exact for shorter lists; for longer ones it is a lower bound and
    `count_is_lower_bound` is true, while `next` keeps working page after page.
    `?page=last` is not offered: finding the last page would mean counting everything.
    """

    django_paginator_class = BoundedCountPaginator
    last_page_strings = ()

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
