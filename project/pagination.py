from rest_framework import pagination


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
