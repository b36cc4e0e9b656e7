"""The one pagination of the API: 50 rows a page, at most 200, and page numbers a database can offset by."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=200)

    def __init__(self, page_size: int = 50, max_page_size: int = 200, **kwargs: object) -> None:
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)
