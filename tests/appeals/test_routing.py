from esep.appeals.models import Body, Category
from esep.appeals.routing import category_route, routes_for


def test_a_rural_power_makes_a_category_the_akims(db) -> None:
    category = Category(
        code="x", power_codes=["roads.maintenance", "roads.district_network"], holder=Body.DISTRICT
    )
    route = category_route(category, {"roads.maintenance": "rural", "roads.district_network": "district"})
    assert route.is_akims and route.from_catalogue


def test_powers_of_other_levels_offer_forwarding_to_the_commonest_level(db) -> None:
    category = Category(code="x", power_codes=["a.b", "c.d", "e.f"], holder=Body.RURAL)
    route = category_route(category, {"a.b": "police", "c.d": "police", "e.f": "district"})
    assert route.holder == Body.POLICE and not route.is_akims


def test_without_the_catalogue_the_categorys_own_holder_decides(db) -> None:
    category = Category(code="x", power_codes=["nowhere.to_be_found"], holder=Body.REGION)
    route = category_route(category, {})
    assert route.holder == Body.REGION and not route.from_catalogue


def test_the_default_catalogue_routes_public_order_to_the_police_and_roads_to_the_akim(db) -> None:
    routes = routes_for(list(Category.objects.all()))
    by_code = {category.code: routes[category.pk] for category in Category.objects.all()}
    assert by_code["public_order"].holder == Body.POLICE
    assert by_code["health"].holder == Body.REGION
    assert by_code["roads"].is_akims and by_code["water"].is_akims
