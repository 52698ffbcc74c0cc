"""What each documented `seed_type` looks like: job titles, departments, locations and shift patterns."""

from dataclasses import dataclass

SEED_TYPES = (
    "workforce",
    "aged_care",
    "hospitality",
    "nursing",
    "partner",
    "retail",
    "construction",
    "load_testing",
)

FIRST_NAMES = (
    "Alex", "Maria", "Ivan", "Olivia", "Noah", "Sofia", "Liam", "Emma", "Artem", "Chloe", "Daniel", "Anna",
    "Lucas", "Mia", "Nikita", "Grace", "Ethan", "Zoe", "Pavel", "Ruby", "Samuel", "Ella", "Mark", "Isla",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Ivanova", "Brown", "Petrov", "Wilson", "Taylor", "Sokolova", "Nguyen", "Martin", "Kuznetsov",
    "Clarke", "Walker", "Orlova", "Hughes", "Young", "Lebedev", "King", "Wright", "Novak", "Green",
)  # fmt: skip


@dataclass(frozen=True)
class Theme:
    roles: tuple[str, ...]
    departments: tuple[str, ...]
    locations: tuple[str, ...]
    # (title, local start hour, length in hours)
    shifts: tuple[tuple[str, int, int], ...]


_DEFAULT = Theme(
    roles=("Team Member", "Supervisor", "Coordinator"),
    departments=("Operations", "Support"),
    locations=("Head Office", "North Site"),
    shifts=(("Morning shift", 7, 8), ("Day shift", 9, 8), ("Evening shift", 15, 8)),
)

THEMES: dict[str, Theme] = {
    "workforce": _DEFAULT,
    "load_testing": _DEFAULT,
    "aged_care": Theme(
        roles=("Care Worker", "Registered Nurse", "Lifestyle Coordinator"),
        departments=("Residential Care", "Home Care"),
        locations=("Sunrise Residence", "Harbour View Home"),
        shifts=(("AM care", 7, 8), ("PM care", 15, 8), ("Night care", 23, 8)),
    ),
    "hospitality": Theme(
        roles=("Chef", "Waiter", "Bartender", "Host"),
        departments=("Kitchen", "Front of House", "Bar"),
        locations=("Downtown Bistro", "Riverside Cafe"),
        shifts=(("Breakfast service", 6, 6), ("Lunch service", 10, 6), ("Dinner service", 16, 7)),
    ),
    "nursing": Theme(
        roles=("Registered Nurse", "Enrolled Nurse", "Nurse Unit Manager"),
        departments=("Emergency", "Surgical Ward", "ICU"),
        locations=("City General Hospital", "St Mary's Clinic"),
        shifts=(("Early shift", 7, 8), ("Late shift", 14, 8), ("Night shift", 22, 9)),
    ),
    "partner": Theme(
        roles=("Field Technician", "Account Partner", "Installer"),
        departments=("Partnerships", "Field Services"),
        locations=("Partner Hub", "Client Site"),
        shifts=(("Site visit", 8, 6), ("Install", 9, 8), ("Support desk", 12, 6)),
    ),
    "retail": Theme(
        roles=("Sales Assistant", "Cashier", "Store Manager", "Stock Handler"),
        departments=("Sales Floor", "Checkout", "Stockroom"),
        locations=("Mall Store", "High Street Store"),
        shifts=(("Opening", 8, 6), ("Midday", 11, 7), ("Closing", 15, 7)),
    ),
    "construction": Theme(
        roles=("Carpenter", "Electrician", "Site Supervisor", "Labourer"),
        departments=("Site Works", "Electrical"),
        locations=("Riverside Tower site", "Eastgate Depot"),
        shifts=(("Early site shift", 6, 8), ("Day site shift", 7, 9), ("Late site shift", 13, 8)),
    ),
}
