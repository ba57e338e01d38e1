#!/usr/bin/env python3
"""Generate the fictional Riverton example datasets (two yearly waves).

Riverton is a made-up river city of about 180,000 people planning "Riverton Community Response"
(RCR), a CAHOOTS-style community responder team run by the county health department with a community
health center. Every person, organization and place here is fictional.

    python scripts/make_riverton.py            # writes data/riverton/ and data/riverton-2027/
    python scripts/make_riverton.py --check    # also asserts the planted problems with networkx

The generator is deterministic (standard library only, ``random.Random(seed)``): the same seed writes
byte-identical files. The data is built so that a set of engagement gaps is *true by construction*;
they are listed in each wave's README.md and asserted by ``--check``.

How the planted problems are kept true
--------------------------------------
Every node gets a *zone*, and every relationship goes through :meth:`Builder.add`, which refuses or
caps relationships that would break a planted fact:

* ``E`` Eastbank: the community, its residents, their storefront church. E nodes relate only to E
  nodes and to Officer Luis Ferreira (zone ``L``); Luis's ties into Eastbank have trust 2.
* ``L`` Luis Ferreira: ties only to E (trust 2) and to the police (zone ``P``, trust 3).
* ``P`` the police department, the officers' association and officers: ties to anyone outside P carry
  trust <= 2, and officers other than Luis live outside the city (empty ``community``), so Luis's
  trusted ties do not lead to the team (Eastbank has no trusted path at all).
* ``N`` Northgate: the community, its residents, its neighborhood association and church. Ties from N
  to anyone but N and Keisha Morgan (zone ``K``) carry trust <= 2, so every trusted path from Northgate
  passes through her.
* ``T`` the two transportation providers (transit agency, Medicaid ride broker), their services and
  staff: never in a ``refers_to`` or ``partners_with`` relationship, so no referral chain from the team
  reaches transportation.
* ``X`` the tenants union: no relationship at all.
* ``M`` everyone else.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stakeholder_graph.vocab import EDGE_ENDPOINTS, EDGE_TYPES, KINDS, METHODS, NEEDS, SECTORS, UNDIRECTED_EDGE_TYPES  # noqa: E402

SEED = 20261001
TEAM = "team-rcr"
LUIS = "p-luis-ferreira"
KEISHA = "p-keisha-morgan"
EASTBANK = "com-eastbank"
NORTHGATE = "com-northgate"
TENANTS = "org-riverton-tenants-union"
TRANSIT_ORG = "org-riverlink-transit"
TRANSIT_SVC = "svc-transit-access-rides"
RIDES_ORG = "org-medical-rides"
RIDES_SVC = "svc-medical-rides"
TRANSPORT = (TRANSIT_ORG, TRANSIT_SVC, RIDES_ORG, RIDES_SVC)
DV_SVC = "svc-dv-hotline"
BOARD = "eng-advisory-board"
AS_OF_2026 = "2026-10-01"
AS_OF_2027 = "2027-10-01"

STAKEHOLDER_COLUMNS = (
    "id",
    "name",
    "kind",
    "sector",
    "community",
    "lived_experience",
    "decision_role",
    "population_share",
    "priority",
    "needs",
    "hours",
    "languages",
    "method",
    "date",
    "tags",
    "notes",
)
RELATIONSHIP_COLUMNS = ("source", "target", "type", "strength", "trust", "since", "until", "notes")

# --------------------------------------------------------------------------------------------------
# Communities
# --------------------------------------------------------------------------------------------------

COMMUNITIES = [
    # id, name, population share, priority, tags, notes
    (
        EASTBANK,
        "Eastbank",
        0.14,
        True,
        "east-of-river|immigrant|spanish-speaking",
        "Across the Tallow River by the Ninth Street bridge. Mostly Latino and immigrant families (Mexican, "
        "Guatemalan, Salvadoran, Peruvian, Haitian); many work at the packing plants and warehouses. Many "
        "mixed-status households avoid calling 911; a 2022 crisis call ended in a deportation referral.",
    ),
    (
        NORTHGATE,
        "Northgate",
        0.17,
        True,
        "historically-black|redlined",
        "Historically Black neighborhood north of the rail yards, redlined in the 1930s and split by the "
        "Route 9 freeway in the 1960s. Residents remember the 2019 death of a man in a mental health crisis "
        "during a police response on Alder Street.",
    ),
    (
        "com-downtown",
        "Downtown & Riverfront",
        0.10,
        False,
        "downtown|riverfront",
        "Downtown core, the shelters, the riverfront trail and its encampments, new loft apartments.",
    ),
    (
        "com-west-hills",
        "West Hills",
        0.20,
        False,
        "owner-occupied",
        "Older, mostly white and affluent neighborhood of larger homes above the river bluffs.",
    ),
    (
        "com-southport",
        "Southport",
        0.16,
        False,
        "refugee|immigrant|working-class",
        "Working-class neighborhood by the port and the industrial zone; home to Somali, Hmong, Afghan and "
        "Vietnamese families resettled since the 1980s.",
    ),
    (
        "com-millbrook",
        "Millbrook",
        0.13,
        False,
        "suburban",
        "Postwar subdivisions on the city's south edge: families, commuters, many older homeowners.",
    ),
    (
        "com-college-heights",
        "College Heights",
        0.10,
        False,
        "students|renters",
        "Around Riverton Community College and Riverton General Hospital: students, renters, hospital staff.",
    ),
]
#: Languages spoken in a neighborhood (the community's ``languages`` cell), where the program knows them.
COMMUNITY_LANGUAGES = {EASTBANK: "Spanish|English"}
#: What the program expects to meet: every need but "other" (the default would be the five needs
#: community responders exist for; Riverton's referral protocol also covers the rest).
EXPECTED_NEEDS = tuple(n for n in NEEDS if n != "other")
FREE_COMMUNITIES = ["com-downtown", "com-west-hills", "com-southport", "com-millbrook", "com-college-heights"]

# --------------------------------------------------------------------------------------------------
# Organizations: id, name, sector, tags, notes
# --------------------------------------------------------------------------------------------------

ORGS = [
    (
        "org-rpd",
        "Riverton Police Department",
        "law_enforcement",
        "city",
        "About 260 sworn officers. Runs a 40-hour Crisis Intervention Team (CIT) course. The officers' "
        "association opposed the RCR budget line in 2025; relations with the program are cooperative but guarded.",
    ),
    (
        "org-rpoa",
        "Riverton Police Officers' Association",
        "law_enforcement",
        "union",
        "Police union. Publicly skeptical of diverting calls from police.",
    ),
    (
        "org-rc911",
        "Riverton County 911 Communications",
        "dispatch_911",
        "county|psap",
        "Countywide public safety answering point; building the call-triage protocol for RCR.",
    ),
    (
        "org-rfems",
        "Riverton Fire & EMS",
        "ems_fire",
        "city",
        "Fire and ambulance service with a two-person community paramedicine unit.",
    ),
    (
        "org-medline",
        "MedLine Ambulance",
        "ems_fire",
        "private",
        "Private ambulance contractor for interfacility and overflow transports.",
    ),
    (
        "org-county-mcu",
        "Riverton County Mobile Crisis Unit",
        "mobile_crisis",
        "county",
        "Clinician-led mobile crisis teams, currently 2 teams per shift for the whole county.",
    ),
    (
        "org-rchd",
        "Riverton County Health Department",
        "health_department",
        "county|rcr-lead",
        "Lead agency for RCR: holds the budget, hires the team, chairs the advisory board.",
    ),
    (
        "org-state-obh",
        "State Office of Behavioral Health",
        "health_department",
        "state|funder",
        "Administers the state's 988 and crisis-continuum grants.",
    ),
    (
        "org-tri-rivers-cmhc",
        "Tri-Rivers Community Mental Health Center",
        "behavioral_health",
        "cmhc",
        "The county's community mental health center: outpatient care, walk-in crisis clinic.",
    ),
    (
        "org-confluence-chc",
        "Confluence Community Health Center",
        "behavioral_health",
        "fqhc|rcr-lead",
        "Federally qualified health center; RCR's clinical partner (medical direction, peer specialists).",
    ),
    (
        "org-harbor-light",
        "Harbor Light Recovery Center",
        "behavioral_health",
        "sud",
        "Sobering center, withdrawal management and recovery housing referrals.",
    ),
    (
        "org-riverlands-988",
        "Riverlands Crisis Line",
        "behavioral_health",
        "988",
        "The region's 988 Suicide & Crisis Lifeline call center.",
    ),
    (
        "org-riverbend-youth",
        "Riverbend Youth & Family Services",
        "behavioral_health",
        "youth",
        "Youth crisis line, runaway and homeless youth services, family therapy.",
    ),
    (
        "org-hrp",
        "Riverton Harm Reduction Project",
        "harm_reduction",
        "syringe-services",
        "Syringe services program: supplies, naloxone, fentanyl test strips, peer outreach on foot.",
    ),
    (
        "org-od-coalition",
        "Riverton Overdose Prevention Coalition",
        "harm_reduction",
        "coalition",
        "Coalition of agencies and families; runs the naloxone vending machines.",
    ),
    (
        "org-rha",
        "Riverton Housing Authority",
        "housing",
        "public-housing",
        "Public housing and Housing Choice Vouchers; rapid rehousing contract.",
    ),
    ("org-river-street", "River Street Shelter", "housing", "shelter", "110-bed low-barrier night shelter downtown."),
    (
        "org-bridgeway",
        "Bridgeway Family Shelter",
        "housing",
        "shelter|families",
        "Emergency shelter for families with children.",
    ),
    (
        "org-coc",
        "Riverton Continuum of Care",
        "housing",
        "coalition",
        "Homelessness response coalition; runs coordinated entry.",
    ),
    (
        TENANTS,
        "Riverton Tenants Union",
        "housing",
        "advocacy",
        "Volunteer tenant organizing group, founded 2025. Nobody in the program knows its organizers yet.",
    ),
    (
        "org-mayor",
        "Office of the Mayor",
        "local_government",
        "city",
        "Mayor's office, including the city's public safety policy staff.",
    ),
    (
        "org-city-council",
        "Riverton City Council",
        "local_government",
        "city|elected",
        "Seven-member council (five wards, two at-large). Approved RCR's planning budget in 2025.",
    ),
    (
        "org-county-commission",
        "Riverton County Board of Commissioners",
        "local_government",
        "county|elected",
        "Funds the county mobile crisis unit and the transit subsidy.",
    ),
    (
        "org-state-delegation",
        "Riverton County Legislative Delegation",
        "legislator",
        "state|elected",
        "The county's state representatives and senator and their district offices.",
    ),
    (
        "org-library",
        "Riverton Public Library",
        "local_government",
        "city|venue",
        "Main library downtown and four branches; hosted the 2026 information sessions.",
    ),
    (
        "org-parks",
        "Riverton Parks & Recreation",
        "local_government",
        "city",
        "Runs the recreation centers, including the Alder Street center in Northgate.",
    ),
    (
        "org-food-bank",
        "Riverton Regional Food Bank",
        "community_organization",
        "food",
        "Warehouse and a network of 30 pantries.",
    ),
    (
        "org-landing-youth",
        "The Landing Youth Center",
        "community_organization",
        "youth",
        "After-school and evening drop-in center for ages 12-24.",
    ),
    (
        "org-safe-harbor",
        "Safe Harbor Domestic Violence Services",
        "community_organization",
        "dv",
        "The county's only domestic violence hotline and confidential shelter.",
    ),
    (
        "org-immigrant-alliance",
        "Riverton Immigrant & Refugee Alliance",
        "community_organization",
        "immigrant",
        "Resettlement and navigation for Somali, Hmong, Afghan and Vietnamese families in Southport. Has no "
        "staff or volunteers in Eastbank.",
    ),
    (
        "org-united-way",
        "United Way of the Riverlands",
        "community_organization",
        "211|funder",
        "Runs the 211 information and referral line.",
    ),
    (
        "org-legal-aid",
        "Riverton Legal Aid",
        "community_organization",
        "legal",
        "Civil legal aid: eviction defense, protective orders, benefits.",
    ),
    (
        "org-aging",
        "Riverlands Area Agency on Aging",
        "community_organization",
        "older-adults",
        "Care coordination and daily check-in calls for older adults.",
    ),
    (
        "org-pride-center",
        "River Pride Center",
        "community_organization",
        "lgbtq",
        "LGBTQ+ community center with a youth night and peer support groups.",
    ),
    (
        "org-northgate-na",
        "Northgate Neighborhood Association",
        "neighborhood_watch",
        "northgate",
        "Meets monthly at the Alder Street recreation center; organizes block captains.",
    ),
    (
        "org-west-hills-watch",
        "West Hills Neighborhood Watch",
        "neighborhood_watch",
        "west-hills",
        "Block-watch network; frequent callers to the police non-emergency line.",
    ),
    ("org-downtown-ra", "Downtown Residents Association", "neighborhood_watch", "downtown", ""),
    ("org-millbrook-watch", "Millbrook Neighborhood Watch", "neighborhood_watch", "millbrook", ""),
    (
        "org-southport-nu",
        "Southport Neighbors United",
        "neighborhood_watch",
        "southport",
        "Neighborhood association; keeps three community fridges stocked.",
    ),
    (
        "org-rusd",
        "Riverton Unified School District",
        "education",
        "k12",
        "About 26,000 students; school social workers and psychologists in every building.",
    ),
    (
        "org-rcc",
        "Riverton Community College",
        "education",
        "college",
        "Community college with a counseling center and a human services program.",
    ),
    (
        "org-bluestem",
        "Bluestem Counseling Associates",
        "counseling",
        "private-practice",
        "Group practice, sliding-scale slots.",
    ),
    ("org-harmony-family", "Harmony Family Counseling", "counseling", "private-practice", ""),
    (
        "org-riverside-trauma",
        "Riverside Trauma Therapy Collective",
        "counseling",
        "private-practice",
        "Trauma therapists; contracts with Safe Harbor.",
    ),
    (
        "org-greater-hope",
        "Greater Hope Missionary Baptist Church",
        "faith_based",
        "northgate",
        "The largest Black church in Northgate; runs a Saturday meal.",
    ),
    (
        "org-st-brigid",
        "St. Brigid Catholic Parish",
        "faith_based",
        "west-hills",
        "Parish with a social ministry office and a St. Vincent-style emergency assistance fund.",
    ),
    (
        "org-masjid-annur",
        "Masjid An-Nur of Riverton",
        "faith_based",
        "southport",
        "Mosque serving Somali, Afghan and Arab families in Southport.",
    ),
    (
        "org-first-methodist",
        "First United Methodist Church of Riverton",
        "faith_based",
        "downtown",
        "Downtown congregation; hosts the River Street Shelter's overflow nights and a weekday breakfast.",
    ),
    (
        "org-iglesia-fuente",
        "Iglesia Pentecostal Fuente de Vida",
        "faith_based",
        "eastbank",
        "Storefront church on Ninth Street in Eastbank; services in Spanish.",
    ),
    (
        "org-rfmh",
        "Riverton Families for Mental Health",
        "family_advocate",
        "family",
        "Affiliate-style chapter of families of people with serious mental illness; runs family-to-family classes.",
    ),
    ("org-parent-network", "Riverton Parent Network for Youth Mental Health", "family_advocate", "family|youth", ""),
    (
        "org-speak-up",
        "Speak Up Riverton Peer Collective",
        "lived_experience",
        "peer-run",
        "Peer-run collective of people who have been through psychiatric crises and police responses.",
    ),
    (
        "org-user-union",
        "Riverton Union of People Who Use Drugs",
        "lived_experience",
        "peer-run",
        "Drug user union; trains members in overdose response.",
    ),
    (
        "org-dba",
        "Downtown Riverton Business Association",
        "business",
        "downtown",
        "Downtown merchants; pushed for 'quality of life' enforcement on the riverfront.",
    ),
    ("org-chamber", "Riverton Chamber of Commerce", "business", "", ""),
    (TRANSIT_ORG, "RiverLink Transit", "other", "transit", "City-county bus system with on-demand Access Rides."),
    (
        RIDES_ORG,
        "Riverlands Medical Rides",
        "other",
        "medicaid-transportation",
        "Medicaid non-emergency medical transportation broker; rides must be booked two days ahead.",
    ),
    (
        "org-riverton-general",
        "Riverton General Hospital",
        "other",
        "hospital",
        "The city's only emergency department (12 of 40 ED beds often hold psychiatric boarders).",
    ),
    ("org-community-foundation", "Riverton Community Foundation", "other", "funder", ""),
]

# --------------------------------------------------------------------------------------------------
# Services: id, name, provider orgs, needs, hours, languages, communities served, notes
# --------------------------------------------------------------------------------------------------

ALL_BUT_EAST = ["com-downtown", "com-west-hills", "com-southport", "com-millbrook", "com-college-heights", NORTHGATE]

SERVICES = [
    (
        "svc-988-line",
        "988 Suicide & Crisis Line (Riverlands)",
        ["org-riverlands-988"],
        "mental_health_crisis",
        "24/7",
        "English|Spanish",
        ALL_BUT_EAST,
        "Interpreter line for other languages.",
    ),
    (
        "svc-mobile-crisis",
        "County Mobile Crisis Response",
        ["org-county-mcu"],
        "mental_health_crisis|wellness_check",
        "24/7",
        "English",
        ["com-downtown", "com-west-hills", "com-southport", "com-millbrook", NORTHGATE],
        "Average response time 58 minutes.",
    ),
    (
        "svc-walk-in-crisis",
        "Tri-Rivers Walk-in Crisis Clinic",
        ["org-tri-rivers-cmhc"],
        "mental_health_crisis",
        "Mon-Fri 08:00-20:00; Sat 10:00-16:00",
        "English|Spanish",
        ["com-downtown", "com-college-heights", "com-southport"],
        "",
    ),
    (
        "svc-sobering-center",
        "Harbor Light Sobering & Withdrawal Center",
        ["org-harbor-light"],
        "substance_use|overdose",
        "24/7",
        "English",
        ["com-downtown", "com-southport", NORTHGATE],
        "16 recliners, 8 withdrawal beds.",
    ),
    (
        "svc-mat-clinic",
        "Confluence Medications for Addiction Treatment Clinic",
        ["org-confluence-chc"],
        "substance_use",
        "Mon-Fri 07:00-15:00",
        "English|Spanish",
        ["com-downtown", "com-college-heights", NORTHGATE],
        "Same-day buprenorphine starts.",
    ),
    (
        "svc-syringe-services",
        "Harm Reduction Supplies & Naloxone",
        ["org-hrp"],
        "overdose|substance_use",
        "Mon-Fri 10:00-18:00; Sat 12:00-16:00",
        "English|Spanish",
        ["com-downtown", "com-southport", NORTHGATE],
        "",
    ),
    (
        "svc-naloxone-vending",
        "Naloxone Vending Machines",
        ["org-od-coalition"],
        "overdose",
        "24/7",
        "English|Spanish|Somali|Vietnamese",
        ["com-downtown", "com-southport", "com-college-heights"],
        "Three machines: library, bus depot, Southport clinic.",
    ),
    (
        "svc-coordinated-entry",
        "Coordinated Entry for Housing",
        ["org-coc"],
        "housing",
        "Mon-Fri 08:00-17:00",
        "English|Spanish",
        ["com-downtown", "com-southport", "com-college-heights", NORTHGATE],
        "",
    ),
    (
        "svc-night-shelter",
        "River Street Night Shelter",
        ["org-river-street"],
        "housing|food",
        "daily 19:00-07:00",
        "English",
        ["com-downtown"],
        "Doors close at 23:00; no intake overnight.",
    ),
    (
        "svc-family-shelter",
        "Bridgeway Family Shelter Intake",
        ["org-bridgeway"],
        "housing|youth",
        "Mon-Fri 08:00-17:00; Sat 10:00-14:00",
        "English|Spanish",
        ["com-downtown", "com-southport", "com-millbrook"],
        "",
    ),
    (
        "svc-rapid-rehousing",
        "Rapid Rehousing Program",
        ["org-rha"],
        "housing",
        "Mon-Fri 09:00-16:00",
        "English|Spanish|Somali",
        ["com-downtown", "com-southport", NORTHGATE, "com-millbrook"],
        "",
    ),
    (
        "svc-daily-checkin",
        "Daily Check-in Calls for Older Adults",
        ["org-aging"],
        "wellness_check",
        "daily 08:00-20:00",
        "English|Vietnamese",
        ["com-west-hills", "com-millbrook", NORTHGATE],
        "",
    ),
    (
        "svc-community-paramedicine",
        "Community Paramedicine Visits",
        ["org-rfems"],
        "wellness_check|medical",
        "daily 08:00-20:00",
        "English",
        ["com-downtown", "com-millbrook", "com-west-hills"],
        "",
    ),
    (
        "svc-emergency-dept",
        "Riverton General Emergency Department",
        ["org-riverton-general"],
        "medical|mental_health_crisis|overdose",
        "24/7",
        "English|Spanish|Somali|Hmong|Vietnamese|Dari",
        ALL_BUT_EAST,
        "Interpreters by video.",
    ),
    (
        "svc-primary-care",
        "Confluence Primary Care & Street Medicine",
        ["org-confluence-chc"],
        "medical",
        "Mon-Fri 08:00-18:00; Sat 09:00-13:00",
        "English|Spanish|Somali",
        ["com-downtown", NORTHGATE, "com-southport"],
        "",
    ),
    (
        "svc-food-pantry",
        "Food Bank Pantry Network",
        ["org-food-bank"],
        "food",
        "Mon-Fri 10:00-18:00; Sat 09:00-13:00",
        "English|Spanish|Somali|Hmong",
        ALL_BUT_EAST,
        "",
    ),
    (
        "svc-community-fridges",
        "Southport Community Fridges",
        ["org-southport-nu"],
        "food",
        "24/7",
        "English|Somali|Vietnamese",
        ["com-southport"],
        "Three outdoor fridges, restocked daily.",
    ),
    (
        TRANSIT_SVC,
        "RiverLink Access Rides",
        [TRANSIT_ORG],
        "transportation",
        "24/7",
        "English|Spanish",
        ["com-downtown", "com-west-hills", "com-southport", "com-millbrook", "com-college-heights", NORTHGATE],
        "On-demand rides booked by phone at any hour. No partner refers to it and it is not in the 211 directory.",
    ),
    (
        RIDES_SVC,
        "Medicaid Rides to Appointments",
        [RIDES_ORG],
        "transportation",
        "Mon-Fri 06:00-19:00; Sat 08:00-14:00",
        "English|Spanish",
        ["com-downtown", "com-southport", "com-millbrook", NORTHGATE],
        "Scheduled rides for Medicaid members; not for same-day or crisis trips.",
    ),
    (
        "svc-youth-drop-in",
        "The Landing Evening Drop-in",
        ["org-landing-youth"],
        "youth|food",
        "Mon-Fri 14:00-21:00; Sat 12:00-18:00",
        "English|Spanish",
        ["com-downtown", NORTHGATE, "com-southport"],
        "",
    ),
    (
        "svc-youth-crisis-line",
        "Riverbend Youth Crisis & Runaway Line",
        ["org-riverbend-youth"],
        "youth|mental_health_crisis",
        "24/7",
        "English|Spanish",
        ALL_BUT_EAST,
        "",
    ),
    (
        "svc-school-mental-health",
        "School-based Mental Health Services",
        ["org-rusd"],
        "youth",
        "Mon-Fri 07:30-16:00",
        "English|Spanish|Hmong",
        ALL_BUT_EAST,
        "",
    ),
    (
        DV_SVC,
        "Safe Harbor DV Hotline & Emergency Shelter",
        ["org-safe-harbor"],
        "domestic_violence",
        "24/7",
        "English|Spanish",
        ALL_BUT_EAST,
        "The only domestic violence service in the county.",
    ),
    (
        "svc-211",
        "211 Riverlands Information & Referral",
        ["org-united-way"],
        "other",
        "24/7",
        "English|Spanish",
        ALL_BUT_EAST,
        "",
    ),
    (
        "svc-legal-clinic",
        "Legal Aid Walk-in Clinic",
        ["org-legal-aid"],
        "other",
        "Mon-Fri 09:00-17:00",
        "English|Spanish|Somali",
        ["com-downtown", "com-southport", NORTHGATE],
        "",
    ),
    (
        "svc-sliding-scale-therapy",
        "Sliding-scale Counseling",
        ["org-bluestem", "org-harmony-family"],
        "mental_health_crisis",
        "Mon-Fri 09:00-19:00",
        "English",
        ["com-west-hills", "com-millbrook", "com-college-heights"],
        "Joint sliding-scale program of two practices.",
    ),
]

# --------------------------------------------------------------------------------------------------
# People: id, name, home (membership target), sector, community (None: assigned), lived, role, title
# --------------------------------------------------------------------------------------------------

OUTSIDE = ""  # officers other than Luis live outside the city limits


def P(pid, name, home, sector, community=None, lived=False, role="", title=""):
    return {
        "id": pid,
        "name": name,
        "home": home,
        "sector": sector,
        "community": community,
        "lived": lived,
        "role": role,
        "title": title,
    }


PEOPLE = [
    # police
    P("p-gregory-haldane", "Gregory Haldane", "org-rpd", "law_enforcement", OUTSIDE, title="Chief of Police"),
    P("p-angela-brandt", "Angela Brandt", "org-rpd", "law_enforcement", OUTSIDE, title="Deputy Chief, Operations"),
    P("p-samuel-okafor", "Samuel Okafor", "org-rpd", "law_enforcement", OUTSIDE, title="Sergeant, CIT coordinator"),
    P(
        LUIS,
        "Luis Ferreira",
        "org-rpd",
        "law_enforcement",
        EASTBANK,
        title="Officer, community liaison officer for Eastbank; grew up on Ninth Street",
    ),
    P("p-kevin-doyle", "Kevin Doyle", "org-rpd", "law_enforcement", OUTSIDE, title="Patrol officer"),
    P("p-jasmine-lee", "Jasmine Lee", "org-rpd", "law_enforcement", OUTSIDE, title="Patrol officer, CIT-trained"),
    P("p-matthew-kowalczyk", "Matthew Kowalczyk", "org-rpd", "law_enforcement", OUTSIDE, title="Lieutenant, patrol"),
    P(
        "p-ryan-mcallister",
        "Ryan McAllister",
        "org-rpoa",
        "law_enforcement",
        OUTSIDE,
        title="President, officers' association",
    ),
    # 911
    P("p-linda-park", "Linda Park", "org-rc911", "dispatch_911", role="advisory board member", title="Director"),
    P("p-carlos-ibarra", "Carlos Ibarra", "org-rc911", "dispatch_911", title="Operations supervisor"),
    P("p-brianna-foster", "Brianna Foster", "org-rc911", "dispatch_911", title="Telecommunicator, crisis triage lead"),
    P("p-tyrone-hicks", "Tyrone Hicks", "org-rc911", "dispatch_911", title="Telecommunicator"),
    # fire & EMS
    P(
        "p-michael-oconnell",
        "Michael O'Connell",
        "org-rfems",
        "ems_fire",
        role="advisory board member",
        title="Fire Chief",
    ),
    P("p-priya-raman", "Priya Raman", "org-rfems", "ems_fire", title="EMS medical director"),
    P("p-jessica-lindqvist", "Jessica Lindqvist", "org-rfems", "ems_fire", title="Community paramedic"),
    P("p-omar-haddad", "Omar Haddad", "org-rfems", "ems_fire", title="Community paramedic"),
    P("p-dwayne-richards", "Dwayne Richards", "org-rfems", "ems_fire", title="Battalion captain"),
    P("p-heather-voss", "Heather Voss", "org-medline", "ems_fire", title="Operations manager"),
    # county mobile crisis
    P(
        "p-natalie-chen",
        "Natalie Chen",
        "org-county-mcu",
        "mobile_crisis",
        role="advisory board member",
        title="Program manager",
    ),
    P("p-javier-soto", "Javier Soto", "org-county-mcu", "mobile_crisis", title="Crisis clinician"),
    P("p-erin-walsh", "Erin Walsh", "org-county-mcu", "mobile_crisis", title="Crisis clinician"),
    P(
        "p-terrence-mack",
        "Terrence Mack",
        "org-county-mcu",
        "mobile_crisis",
        lived=True,
        title="Peer support specialist",
    ),
    # the team
    P("p-alicia-benitez", "Alicia Benítez", TEAM, "mobile_crisis", title="RCR program manager"),
    P("p-daniel-yoon", "Daniel Yoon", TEAM, "mobile_crisis", title="RCR clinical lead"),
    P("p-rachel-greenberg", "Rachel Greenberg", TEAM, "mobile_crisis", title="RCR data and planning analyst"),
    P("p-jolene-whitehorse", "Jolene Whitehorse", TEAM, "mobile_crisis", lived=True, title="RCR peer program lead"),
    # health department
    P(
        "p-margaret-osei",
        "Margaret Osei",
        "org-rchd",
        "health_department",
        role="advisory board co-chair",
        title="Health Director",
    ),
    P("p-vikram-desai", "Vikram Desai", "org-rchd", "health_department", title="Epidemiologist"),
    P(
        "p-sofia-navarro",
        "Sofía Navarro",
        "org-rchd",
        "health_department",
        title="Behavioral health program coordinator",
    ),
    P("p-grace-kim", "Grace Kim", "org-rchd", "health_department", title="Community health worker"),
    P("p-abdi-warsame", "Abdi Warsame", "org-rchd", "health_department", title="Community health worker (Somali)"),
    P(
        "p-karen-lundgren",
        "Karen Lundgren",
        "org-state-obh",
        "health_department",
        title="Crisis continuum program officer",
    ),
    # behavioral health
    P(
        "p-robert-nguyen",
        "Robert Nguyen",
        "org-tri-rivers-cmhc",
        "behavioral_health",
        role="advisory board member",
        title="CEO",
    ),
    P(
        "p-elaine-fitzgerald",
        "Elaine Fitzgerald",
        "org-tri-rivers-cmhc",
        "behavioral_health",
        title="Crisis services director",
    ),
    P("p-marcus-webb", "Marcus Webb", "org-tri-rivers-cmhc", "behavioral_health", title="Therapist (LCSW)"),
    P("p-hana-sato", "Hana Sato", "org-tri-rivers-cmhc", "behavioral_health", title="Therapist"),
    P(
        "p-derrick-young",
        "Derrick Young",
        "org-tri-rivers-cmhc",
        "behavioral_health",
        lived=True,
        title="Peer support specialist",
    ),
    P(
        "p-ifeoma-adeyemi",
        "Ifeoma Adeyemi",
        "org-confluence-chc",
        "behavioral_health",
        role="advisory board co-chair",
        title="Medical director",
    ),
    P("p-luz-morales", "Luz Morales", "org-confluence-chc", "behavioral_health", title="Community health worker"),
    P("p-ben-carter", "Ben Carter", "org-confluence-chc", "behavioral_health", title="Addiction medicine nurse"),
    P(
        "p-mei-lin-zhou",
        "Mei-Lin Zhou",
        "org-confluence-chc",
        "behavioral_health",
        title="Behavioral health consultant",
    ),
    P("p-frank-delgado", "Frank Delgado", "org-harbor-light", "behavioral_health", title="Director"),
    P("p-crystal-hayes", "Crystal Hayes", "org-harbor-light", "behavioral_health", lived=True, title="Recovery coach"),
    P(
        "p-joey-martinelli",
        "Joey Martinelli",
        "org-harbor-light",
        "behavioral_health",
        lived=True,
        title="Recovery coach",
    ),
    P("p-susan-albright", "Susan Albright", "org-riverlands-988", "behavioral_health", title="Director"),
    P("p-kai-nakamura", "Kai Nakamura", "org-riverlands-988", "behavioral_health", title="Crisis counselor"),
    P("p-patricia-oduya", "Patricia Oduya", "org-riverbend-youth", "behavioral_health", title="Executive director"),
    P("p-liam-brennan", "Liam Brennan", "org-riverbend-youth", "behavioral_health", title="Youth counselor"),
    # harm reduction
    P("p-nora-castellanos", "Nora Castellanos", "org-hrp", "harm_reduction", title="Director"),
    P(
        KEISHA,
        "Keisha Morgan",
        "org-hrp",
        "harm_reduction",
        NORTHGATE,
        lived=True,
        title="Peer outreach worker; raised in Northgate, in recovery since 2017",
    ),
    P("p-dustin-pratt", "Dustin Pratt", "org-hrp", "harm_reduction", lived=True, title="Outreach worker"),
    P("p-ximena-rojas", "Ximena Rojas", "org-hrp", "harm_reduction", title="Outreach worker"),
    P(
        "p-glen-harper",
        "Glen Harper",
        "org-od-coalition",
        "harm_reduction",
        lived=True,
        title="Coalition coordinator; lost his son to an overdose",
    ),
    # housing
    P(
        "p-stephen-bauer",
        "Stephen Bauer",
        "org-rha",
        "housing",
        role="advisory board member",
        title="Executive director",
    ),
    P("p-monique-dubois", "Monique Dubois", "org-rha", "housing", title="Case manager"),
    P("p-raymond-castillo", "Raymond Castillo", "org-river-street", "housing", title="Shelter director"),
    P("p-bobby-lyons", "Bobby Lyons", "org-river-street", "housing", lived=True, title="Night shift lead"),
    P("p-carmen-ortiz", "Carmen Ortiz", "org-bridgeway", "housing", title="Director"),
    P("p-jennifer-holt", "Jennifer Holt", "org-coc", "housing", title="Continuum of Care coordinator"),
    # city and county government
    P("p-diane-whitaker", "Diane Whitaker", "org-mayor", "local_government", title="Mayor"),
    P("p-aaron-goldstein", "Aaron Goldstein", "org-mayor", "local_government", title="Chief of staff"),
    P("p-fatima-rahman", "Fatima Rahman", "org-mayor", "local_government", title="Public safety policy advisor"),
    P(
        "p-raymond-ellis",
        "Raymond Ellis",
        "org-city-council",
        "legislator",
        role="advisory board member (council liaison)",
        title="Councilmember, Ward 2 (includes Northgate)",
    ),
    P("p-christine-albrecht", "Christine Albrecht", "org-city-council", "legislator", title="Councilmember, Ward 4"),
    P("p-miguel-santana", "Miguel Santana", "org-city-council", "legislator", title="Councilmember at-large"),
    P("p-pao-vang", "Pao Vang", "org-city-council", "legislator", title="Councilmember, Ward 3"),
    P("p-lauren-mitchell", "Lauren Mitchell", "org-city-council", "local_government", title="Council policy aide"),
    P("p-walter-grimes", "Walter Grimes", "org-county-commission", "legislator", title="County commissioner"),
    P(
        "p-bernadette-quinn",
        "Bernadette Quinn",
        "org-county-commission",
        "local_government",
        title="County administrator",
    ),
    P(
        "p-sharon-delacroix",
        "Sharon Delacroix",
        "org-state-delegation",
        "legislator",
        title="State Representative, District 41",
    ),
    P("p-eli-friedman", "Eli Friedman", "org-state-delegation", "legislator", title="District office director"),
    P("p-ruth-abernathy", "Ruth Abernathy", "org-library", "local_government", title="Main library branch manager"),
    P("p-dante-ramos", "Dante Ramos", "org-parks", "local_government", title="Recreation programs manager"),
    # community organizations
    P("p-beth-sorensen", "Beth Sorensen", "org-food-bank", "community_organization", title="Executive director"),
    P("p-kwame-asante", "Kwame Asante", "org-food-bank", "community_organization", title="Pantry network coordinator"),
    P("p-trina-jackson", "Trina Jackson", "org-landing-youth", "community_organization", title="Director"),
    P("p-andy-pham", "Andy Pham", "org-landing-youth", "community_organization", title="Youth worker"),
    P("p-colleen-murphy", "Colleen Murphy", "org-safe-harbor", "community_organization", title="Executive director"),
    P("p-amina-yusuf", "Amina Yusuf", "org-safe-harbor", "community_organization", title="Advocate"),
    P("p-hodan-ali", "Hodan Ali", "org-immigrant-alliance", "community_organization", title="Executive director"),
    P(
        "p-yer-xiong",
        "Yer Xiong",
        "org-immigrant-alliance",
        "community_organization",
        title="Hmong community navigator",
    ),
    P(
        "p-farid-ahmadi",
        "Farid Ahmadi",
        "org-immigrant-alliance",
        "community_organization",
        title="Afghan community navigator",
    ),
    P("p-gary-whitman", "Gary Whitman", "org-united-way", "community_organization", title="211 director"),
    P("p-naomi-feld", "Naomi Feld", "org-legal-aid", "community_organization", title="Staff attorney"),
    P("p-dolores-king", "Dolores King", "org-aging", "community_organization", title="Care coordinator"),
    P("p-sam-rivera", "Sam Rivera", "org-pride-center", "community_organization", title="Director"),
    # neighborhood groups (not Northgate)
    P(
        "p-doug-ferris",
        "Doug Ferris",
        "org-west-hills-watch",
        "neighborhood_watch",
        "com-west-hills",
        title="Watch captain",
    ),
    P(
        "p-nancy-yates",
        "Nancy Yates",
        "org-west-hills-watch",
        "neighborhood_watch",
        "com-west-hills",
        title="Block captain",
    ),
    P("p-ethan-cho", "Ethan Cho", "org-west-hills-watch", "neighborhood_watch", "com-west-hills", title="Member"),
    P("p-lorenzo-bianchi", "Lorenzo Bianchi", "org-downtown-ra", "neighborhood_watch", "com-downtown", title="Chair"),
    P("p-imani-grant", "Imani Grant", "org-downtown-ra", "neighborhood_watch", "com-downtown", title="Member"),
    P(
        "p-tom-hendricks",
        "Tom Hendricks",
        "org-millbrook-watch",
        "neighborhood_watch",
        "com-millbrook",
        title="Watch captain",
    ),
    P(
        "p-priscilla-wong",
        "Priscilla Wong",
        "org-millbrook-watch",
        "neighborhood_watch",
        "com-millbrook",
        title="Member",
    ),
    P("p-bao-tran", "Bao Tran", "org-southport-nu", "neighborhood_watch", "com-southport", title="Chair"),
    P(
        "p-ahmed-farah",
        "Ahmed Farah",
        "org-southport-nu",
        "neighborhood_watch",
        "com-southport",
        title="Fridge volunteer lead",
    ),
    # education
    P(
        "p-cynthia-moore",
        "Cynthia Moore",
        "org-rusd",
        "education",
        role="advisory board member",
        title="Director of Student Services",
    ),
    P("p-jose-alvarado", "José Alvarado", "org-rusd", "education", title="School social worker"),
    P("p-rebecca-stein", "Rebecca Stein", "org-rusd", "education", title="School psychologist"),
    P("p-anthony-russo", "Anthony Russo", "org-rcc", "education", title="Counseling center director"),
    # counseling
    P("p-laura-bishop", "Laura Bishop", "org-bluestem", "counseling", title="Owner, licensed professional counselor"),
    P("p-tariq-hussain", "Tariq Hussain", "org-bluestem", "counseling", title="Marriage and family therapist"),
    P("p-olivia-mensah", "Olivia Mensah", "org-harmony-family", "counseling", title="Clinical social worker"),
    P("p-diego-fuentes", "Diego Fuentes", "org-riverside-trauma", "counseling", title="Trauma therapist"),
    P("p-helen-chu", "Helen Chu", "org-riverside-trauma", "counseling", title="Trauma therapist"),
    # faith (Northgate and Eastbank clergy are listed with their neighborhoods)
    P("p-tomasz-nowak", "Tomasz Nowak", "org-st-brigid", "faith_based", "com-west-hills", title="Pastor (Father)"),
    P(
        "p-maria-guzman",
        "María Guzmán",
        "org-st-brigid",
        "faith_based",
        "com-west-hills",
        title="Social ministry coordinator",
    ),
    P("p-yusuf-abdullah", "Yusuf Abdullah", "org-masjid-annur", "faith_based", "com-southport", title="Imam"),
    P(
        "p-khadija-osman",
        "Khadija Osman",
        "org-masjid-annur",
        "faith_based",
        "com-southport",
        title="Board member, women's committee",
    ),
    P(
        "p-ellen-carlisle",
        "Ellen Carlisle",
        "org-first-methodist",
        "faith_based",
        "com-downtown",
        title="Senior pastor (Reverend)",
    ),
    P(
        "p-george-whitcomb",
        "George Whitcomb",
        "org-first-methodist",
        "faith_based",
        "com-downtown",
        title="Outreach coordinator",
    ),
    # family advocates
    P(
        "p-judith-abrams",
        "Judith Abrams",
        "org-rfmh",
        "family_advocate",
        role="advisory board member (family seat)",
        title="Chapter president; her son lives with schizophrenia",
    ),
    P("p-victor-oyelaran", "Victor Oyelaran", "org-rfmh", "family_advocate", title="Family support volunteer"),
    P("p-teresa-campos", "Teresa Campos", "org-rfmh", "family_advocate", title="Family-to-family teacher"),
    P("p-amy-kessler", "Amy Kessler", "org-parent-network", "family_advocate", title="Coordinator"),
    # lived experience
    P("p-jordan-blake", "Jordan Blake", "org-speak-up", "lived_experience", lived=True, title="Collective coordinator"),
    P("p-renata-silva", "Renata Silva", "org-speak-up", "lived_experience", lived=True, title="Member"),
    P("p-curtis-bell", "Curtis Bell", "org-speak-up", "lived_experience", lived=True, title="Member"),
    P("p-mia-thompson", "Mia Thompson", "org-speak-up", "lived_experience", lived=True, title="Member"),
    P("p-hung-le", "Hung Le", "org-speak-up", "lived_experience", lived=True, title="Member"),
    P("p-shane-whitlock", "Shane Whitlock", "org-user-union", "lived_experience", lived=True, title="Organizer"),
    P("p-destiny-harris", "Destiny Harris", "org-user-union", "lived_experience", lived=True, title="Member"),
    # business
    P("p-greg-saunders", "Greg Saunders", "org-dba", "business", title="Executive director"),
    P("p-lily-huang", "Lily Huang", "org-dba", "business", title="Cafe owner"),
    P("p-nikos-papadakis", "Nikos Papadakis", "org-dba", "business", title="Diner owner"),
    P("p-patrick-hale", "Patrick Hale", "org-chamber", "business", title="Chamber president"),
    # transit, hospital, funder
    P("p-deborah-lang", "Deborah Lang", TRANSIT_ORG, "other", title="General manager"),
    P("p-rashid-khan", "Rashid Khan", TRANSIT_ORG, "other", title="Mobility manager"),
    P("p-ming-zhao", "Ming Zhao", RIDES_ORG, "other", title="Operations coordinator"),
    P("p-steven-marsh", "Steven Marsh", "org-riverton-general", "other", title="Emergency department medical director"),
    P(
        "p-renee-holmberg",
        "Renée Holmberg",
        "org-riverton-general",
        "other",
        title="Emergency department social worker",
    ),
    P("p-kofi-boateng", "Kofi Boateng", "org-riverton-general", "other", title="Psychiatric liaison nurse"),
    P("p-catherine-ashby", "Catherine Ashby", "org-community-foundation", "other", title="Program officer"),
    # Eastbank (zone E)
    P("p-efrain-solis", "Efraín Solís", "org-iglesia-fuente", "faith_based", EASTBANK, title="Pastor"),
    P(
        "p-guadalupe-ortega",
        "Guadalupe Ortega",
        EASTBANK,
        "community_organization",
        EASTBANK,
        title="Runs the Eastbank parents' group and a savings circle",
    ),
    P("p-hector-ramirez", "Héctor Ramírez", EASTBANK, "business", EASTBANK, title="Owns a tire shop on Ninth Street"),
    P(
        "p-marisol-vazquez",
        "Marisol Vázquez",
        EASTBANK,
        "community_organization",
        EASTBANK,
        title="Organizes the Eastbank youth soccer league",
    ),
    P("p-ana-chavez", "Ana Lucía Chávez", EASTBANK, "", EASTBANK, title="Home health aide"),
    P(
        "p-tomas-herrera",
        "Tomás Herrera",
        EASTBANK,
        "lived_experience",
        EASTBANK,
        lived=True,
        title="His brother was arrested during a mental health crisis in 2023",
    ),
    P("p-yesenia-cruz", "Yesenia Cruz", EASTBANK, "", EASTBANK, title="Packing plant line lead"),
    P("p-jorge-mendoza", "Jorge Mendoza", EASTBANK, "", EASTBANK, title="Warehouse worker, union steward"),
    P("p-dalia-quispe", "Dalia Quispe", EASTBANK, "", EASTBANK, title="Runs a home daycare"),
    P("p-wilmer-aguilar", "Wilmer Aguilar", EASTBANK, "", EASTBANK, title="Construction worker"),
    P("p-marie-claude-joseph", "Marie-Claude Joseph", EASTBANK, "", EASTBANK, title="Certified nursing assistant"),
    # Northgate (zone N)
    P(
        "p-harold-jenkins",
        "Harold Jenkins",
        "org-northgate-na",
        "neighborhood_watch",
        NORTHGATE,
        role="advisory board member (neighborhood seat)",
        title="President, Northgate Neighborhood Association; retired letter carrier",
    ),
    P("p-denise-whitfield", "Denise Whitfield", "org-northgate-na", "neighborhood_watch", NORTHGATE, title="Secretary"),
    P("p-yolanda-pierce", "Yolanda Pierce", "org-northgate-na", "neighborhood_watch", NORTHGATE, title="Block captain"),
    P("p-brenda-carver", "Brenda Carver", "org-northgate-na", "neighborhood_watch", NORTHGATE, title="Block captain"),
    P("p-clarence-booker", "Clarence Booker", "org-greater-hope", "faith_based", NORTHGATE, title="Pastor (Reverend)"),
    P(
        "p-lorraine-tate",
        "Lorraine Tate",
        "org-greater-hope",
        "faith_based",
        NORTHGATE,
        title="Deacon, runs the Saturday meal",
    ),
    P(
        "p-marcus-greene",
        "Marcus Greene",
        NORTHGATE,
        "lived_experience",
        NORTHGATE,
        lived=True,
        title="Survived a 2018 police crisis response",
    ),
    P(
        "p-tanisha-brooks",
        "Tanisha Brooks",
        NORTHGATE,
        "lived_experience",
        NORTHGATE,
        lived=True,
        title="Her brother died on Alder Street in 2019",
    ),
    P("p-andre-coleman", "Andre Coleman", NORTHGATE, "lived_experience", NORTHGATE, lived=True, title="In recovery"),
    P(
        "p-deshawn-porter",
        "DeShawn Porter",
        NORTHGATE,
        "lived_experience",
        NORTHGATE,
        lived=True,
        title="Reversed two overdoses with naloxone",
    ),
    P(
        "p-ronald-pettiford",
        "Ronald Pettiford",
        NORTHGATE,
        "lived_experience",
        NORTHGATE,
        lived=True,
        title="Veteran, lives with PTSD",
    ),
    P("p-kiara-woods", "Kiara Woods", NORTHGATE, "lived_experience", NORTHGATE, lived=True, title="Young mother"),
    P(
        "p-shirley-washington",
        "Shirley Washington",
        NORTHGATE,
        "community_organization",
        NORTHGATE,
        title="Runs the Northgate community garden",
    ),
    P(
        "p-cedric-holloway",
        "Cedric Holloway",
        NORTHGATE,
        "community_organization",
        NORTHGATE,
        title="Youth football coach",
    ),
    P(
        "p-otis-freeman",
        "Otis Freeman",
        NORTHGATE,
        "community_organization",
        NORTHGATE,
        title="Retired bus driver, block club",
    ),
    P("p-latoya-sims", "LaToya Sims", NORTHGATE, "community_organization", NORTHGATE, title="Parent organizer"),
    P("p-jerome-battle", "Jerome Battle", NORTHGATE, "business", NORTHGATE, title="Owns Battle's Barbershop"),
    P("p-aaliyah-simmons", "Aaliyah Simmons", NORTHGATE, "", NORTHGATE, title="Nursing student"),
    P("p-malik-dawson", "Malik Dawson", NORTHGATE, "", NORTHGATE, title="High school senior"),
    # other residents
    P("p-bill-sanderson", "Bill Sanderson", "com-west-hills", "", "com-west-hills", title="Retired engineer"),
    P(
        "p-gwen-matthews",
        "Gwen Matthews",
        "com-downtown",
        "family_advocate",
        "com-downtown",
        title="Mother of a son with bipolar disorder",
    ),
    P(
        "p-yusra-hassan",
        "Yusra Hassan",
        "com-southport",
        "community_organization",
        "com-southport",
        title="Somali parents' group",
    ),
    P(
        "p-wei-chen",
        "Wei Chen",
        "com-college-heights",
        "lived_experience",
        "com-college-heights",
        lived=True,
        title="College student; was hospitalized after a 2024 crisis call",
    ),
    P("p-connor-obrien", "Connor O'Brien", "com-millbrook", "", "com-millbrook", title="Resident"),
    P("p-lakshmi-iyer", "Lakshmi Iyer", "com-millbrook", "", "com-millbrook", title="Resident, pharmacist"),
    P(
        "p-travis-boone",
        "Travis Boone",
        "com-downtown",
        "lived_experience",
        "com-downtown",
        lived=True,
        title="Currently unhoused, camps by the riverfront trail",
    ),
    P("p-rosa-linares", "Rosa Linares", "com-southport", "", "com-southport", title="Resident, school bus driver"),
]

# --------------------------------------------------------------------------------------------------
# Engagements: id, name, method, date, people, organizations, notes
# --------------------------------------------------------------------------------------------------

ENGAGEMENTS = [
    (
        "eng-2024-town-hall",
        "Public Safety Town Hall: Rethinking Crisis Response",
        "town_hall",
        "2024-09-12",
        [
            "p-raymond-ellis",
            "p-christine-albrecht",
            "p-miguel-santana",
            "p-diane-whitaker",
            "p-gregory-haldane",
            "p-ryan-mcallister",
            "p-harold-jenkins",
            "p-denise-whitfield",
            "p-marcus-greene",
            "p-tanisha-brooks",
            "p-shirley-washington",
            "p-otis-freeman",
            "p-lorenzo-bianchi",
            "p-doug-ferris",
            "p-greg-saunders",
            "p-judith-abrams",
            "p-gwen-matthews",
            "p-jordan-blake",
            "p-travis-boone",
            "p-bill-sanderson",
        ],
        ["org-city-council", "org-rpd"],
        "Hosted by the City Council at the Alder Street recreation center; about 300 attended. The only town hall so far.",
    ),
    (
        "eng-2025-community-survey",
        "Community Crisis Response Survey (wave 1)",
        "survey",
        "2025-04-15",
        [
            "p-imani-grant",
            "p-nancy-yates",
            "p-ethan-cho",
            "p-priscilla-wong",
            "p-tom-hendricks",
            "p-bao-tran",
            "p-ahmed-farah",
            "p-yusra-hassan",
            "p-connor-obrien",
            "p-lakshmi-iyer",
            "p-wei-chen",
            "p-rosa-linares",
            "p-yolanda-pierce",
            "p-cedric-holloway",
            "p-aaliyah-simmons",
            "p-jerome-battle",
            "p-latoya-sims",
            "p-brenda-carver",
            "p-lily-huang",
            "p-renata-silva",
        ],
        [],
        "Online and paper survey in English, Spanish, Somali and Hmong; 1,140 responses. No paper copies reached Eastbank.",
    ),
    (
        "eng-2025-responder-consult",
        "Consultation with established community responder programs",
        "expert_consultation",
        "2025-06-10",
        [
            "p-alicia-benitez",
            "p-daniel-yoon",
            "p-margaret-osei",
            "p-sofia-navarro",
            "p-ifeoma-adeyemi",
            "p-elaine-fitzgerald",
            "p-karen-lundgren",
        ],
        [TEAM, "org-rchd"],
        "Site visits and calls with two long-running programs in other states.",
    ),
    (
        "eng-2025-council-work-session",
        "City Council work session: RCR planning update",
        "planning_update",
        "2025-08-21",
        [
            "p-raymond-ellis",
            "p-christine-albrecht",
            "p-pao-vang",
            "p-lauren-mitchell",
            "p-fatima-rahman",
            "p-walter-grimes",
            "p-bernadette-quinn",
            "p-eli-friedman",
        ],
        ["org-city-council", "org-mayor"],
        "",
    ),
    (
        BOARD,
        "RCR Community Advisory Board",
        "formal_decision_role",
        "2026-09-10",
        [],
        [],
        "Convened 2025-11-06 with 11 voting seats; meets monthly. The date is its most recent meeting. "
        "It recommends protocols, hiring criteria and the budget to the Health Director.",
    ),
    (
        "eng-2026-provider-consult",
        "Behavioral health and recovery provider consultation",
        "expert_consultation",
        "2026-01-22",
        [
            "p-elaine-fitzgerald",
            "p-marcus-webb",
            "p-frank-delgado",
            "p-crystal-hayes",
            "p-susan-albright",
            "p-patricia-oduya",
            "p-laura-bishop",
            "p-olivia-mensah",
            "p-diego-fuentes",
            "p-nora-castellanos",
            "p-anthony-russo",
            "p-derrick-young",
        ],
        ["org-tri-rivers-cmhc", "org-harbor-light", "org-bluestem", "org-harmony-family", "org-riverside-trauma"],
        "",
    ),
    (
        "eng-2026-lived-experience-survey",
        "Lived Experience Survey and Story Circles",
        "survey",
        "2026-02-20",
        [
            "p-jordan-blake",
            "p-curtis-bell",
            "p-mia-thompson",
            "p-hung-le",
            "p-shane-whitlock",
            "p-destiny-harris",
            KEISHA,
            "p-dustin-pratt",
            "p-bobby-lyons",
            "p-travis-boone",
            "p-marcus-greene",
            "p-andre-coleman",
            "p-deshawn-porter",
            "p-ronald-pettiford",
            "p-kiara-woods",
            "p-joey-martinelli",
            "p-terrence-mack",
            "p-glen-harper",
            "p-jolene-whitehorse",
            "p-teresa-campos",
        ],
        ["org-speak-up", "org-user-union", "org-hrp"],
        "Paid survey and four story circles facilitated by peers; $25 gift cards.",
    ),
    (
        "eng-2026-responder-roundtable",
        "First responder roundtable: police, fire, dispatch",
        "expert_consultation",
        "2026-03-19",
        [
            "p-gregory-haldane",
            "p-samuel-okafor",
            "p-jasmine-lee",
            "p-carlos-ibarra",
            "p-brianna-foster",
            "p-priya-raman",
            "p-jessica-lindqvist",
            "p-heather-voss",
            "p-javier-soto",
            "p-steven-marsh",
        ],
        ["org-rpd", "org-rc911", "org-rfems", "org-county-mcu", TEAM],
        "Call-type review of 2025 911 data.",
    ),
    (
        "eng-2026-school-briefing",
        "School and youth services briefing",
        "public_information",
        "2026-04-08",
        [
            "p-jose-alvarado",
            "p-rebecca-stein",
            "p-trina-jackson",
            "p-andy-pham",
            "p-liam-brennan",
            "p-amy-kessler",
            "p-dante-ramos",
        ],
        ["org-rusd", "org-landing-youth"],
        "",
    ),
    (
        "eng-2026-library-info-sessions",
        "RCR information sessions at Riverton Public Library",
        "public_information",
        "2026-05-14",
        [
            "p-ruth-abernathy",
            "p-harold-jenkins",
            "p-yolanda-pierce",
            "p-shirley-washington",
            "p-cedric-holloway",
            "p-malik-dawson",
            "p-kiara-woods",
            "p-imani-grant",
            "p-bao-tran",
            "p-hodan-ali",
            "p-yer-xiong",
            "p-farid-ahmadi",
            "p-sam-rivera",
            "p-gary-whitman",
            "p-kwame-asante",
            "p-colleen-murphy",
            "p-grace-kim",
            "p-abdi-warsame",
            "p-mia-thompson",
            "p-connor-obrien",
        ],
        ["org-library", "org-immigrant-alliance"],
        "Four evening sessions at the main library and the Southport and Northgate branches, in English, Somali and Hmong.",
    ),
    (
        "eng-2026-council-planning-update",
        "Council planning update: RCR launch plan",
        "planning_update",
        "2026-08-27",
        [
            "p-miguel-santana",
            "p-pao-vang",
            "p-diane-whitaker",
            "p-aaron-goldstein",
            "p-alicia-benitez",
            "p-rachel-greenberg",
            "p-sharon-delacroix",
            "p-greg-saunders",
            "p-patrick-hale",
            "p-jennifer-holt",
            "p-carmen-ortiz",
            "p-monique-dubois",
            "p-catherine-ashby",
            "p-denise-whitfield",
            "p-otis-freeman",
        ],
        ["org-dba", "org-rha", "org-coc", "org-city-council"],
        "",
    ),
]

# --------------------------------------------------------------------------------------------------
# Hand-written relationships between organizations
# --------------------------------------------------------------------------------------------------

# (a, b, strength, trust, notes)
PARTNERS = [
    (TEAM, "org-rchd", 4, 4, "Lead agency"),
    (TEAM, "org-confluence-chc", 4, 4, "Clinical partner: medical direction and peer specialists"),
    (TEAM, "org-hrp", 3, 4, "Naloxone and supplies on every van; joint outreach planned"),
    (TEAM, "org-tri-rivers-cmhc", 3, 3, "Warm hand-offs to the walk-in clinic"),
    (TEAM, "org-county-mcu", 3, 3, "Shared call protocol: RCR takes low-acuity calls, MCU high-acuity"),
    (TEAM, "org-rc911", 3, 3, "Call-triage protocol in development"),
    (TEAM, "org-rfems", 3, 3, "Medical back-up"),
    (TEAM, "org-rpd", 2, 2, "Call-diversion MOU under negotiation"),
    (TEAM, "org-speak-up", 2, 3, "Peer hiring pipeline"),
    (TEAM, "org-rfmh", 2, 3, ""),
    (TEAM, "org-riverlands-988", 3, 3, "988 can dispatch RCR after launch"),
    (TEAM, "org-harbor-light", 3, 3, "Sobering center drop-offs"),
    (TEAM, "org-river-street", 2, 3, ""),
    ("org-rchd", "org-confluence-chc", 4, 4, ""),
    ("org-rchd", "org-tri-rivers-cmhc", 3, 3, ""),
    ("org-rchd", "org-hrp", 3, 3, ""),
    ("org-rchd", "org-od-coalition", 3, 4, ""),
    ("org-rchd", "org-county-mcu", 3, 3, ""),
    ("org-rchd", "org-rusd", 2, 3, ""),
    ("org-rchd", "org-food-bank", 2, 3, ""),
    ("org-rchd", "org-immigrant-alliance", 2, 3, ""),
    ("org-rchd", "org-riverton-general", 3, 3, ""),
    ("org-rchd", "org-state-obh", 3, 3, ""),
    ("org-tri-rivers-cmhc", "org-county-mcu", 4, 4, "The CMHC employs the MCU clinicians' supervisors"),
    ("org-tri-rivers-cmhc", "org-riverlands-988", 3, 3, ""),
    ("org-tri-rivers-cmhc", "org-harbor-light", 3, 3, ""),
    ("org-tri-rivers-cmhc", "org-riverton-general", 3, 3, ""),
    ("org-tri-rivers-cmhc", "org-riverbend-youth", 2, 3, ""),
    ("org-tri-rivers-cmhc", "org-rfmh", 2, 3, ""),
    ("org-tri-rivers-cmhc", "org-rcc", 2, 3, ""),
    ("org-tri-rivers-cmhc", "org-bluestem", 2, 3, ""),
    ("org-confluence-chc", "org-hrp", 3, 4, ""),
    ("org-confluence-chc", "org-harbor-light", 3, 3, ""),
    ("org-hrp", "org-harbor-light", 3, 3, ""),
    ("org-hrp", "org-od-coalition", 3, 4, ""),
    ("org-hrp", "org-user-union", 3, 4, ""),
    ("org-hrp", "org-river-street", 2, 3, ""),
    ("org-od-coalition", "org-rfems", 2, 3, ""),
    ("org-od-coalition", "org-user-union", 2, 3, ""),
    ("org-county-mcu", "org-rc911", 3, 3, ""),
    ("org-county-mcu", "org-rfems", 2, 3, ""),
    ("org-county-mcu", "org-riverlands-988", 4, 4, ""),
    ("org-rfems", "org-rc911", 4, 4, ""),
    ("org-rfems", "org-riverton-general", 3, 3, ""),
    ("org-rfems", "org-medline", 3, 3, ""),
    ("org-medline", "org-riverton-general", 3, 3, ""),
    ("org-rpd", "org-rc911", 3, 2, "Co-located dispatch floor; disputes over call coding"),
    ("org-rpd", "org-rfems", 2, 2, ""),
    ("org-rpd", "org-county-mcu", 3, 2, "Co-responder pilot, two shifts a week"),
    ("org-rpd", "org-riverton-general", 2, 2, ""),
    ("org-rpd", "org-rpoa", 3, 3, ""),
    ("org-rha", "org-coc", 4, 4, ""),
    ("org-river-street", "org-coc", 3, 3, ""),
    ("org-bridgeway", "org-coc", 3, 3, ""),
    ("org-rha", "org-bridgeway", 2, 3, ""),
    ("org-safe-harbor", "org-bridgeway", 3, 3, ""),
    ("org-safe-harbor", "org-legal-aid", 3, 4, ""),
    ("org-coc", "org-united-way", 3, 3, ""),
    ("org-coc", "org-riverton-general", 2, 2, ""),
    ("org-food-bank", "org-united-way", 3, 4, ""),
    ("org-food-bank", "org-landing-youth", 2, 3, "Evening snack program"),
    ("org-food-bank", "org-southport-nu", 2, 3, ""),
    ("org-landing-youth", "org-rusd", 3, 3, ""),
    ("org-landing-youth", "org-riverbend-youth", 3, 3, ""),
    ("org-landing-youth", "org-parks", 3, 3, ""),
    ("org-rusd", "org-riverbend-youth", 3, 3, ""),
    ("org-rusd", "org-rcc", 2, 3, ""),
    ("org-immigrant-alliance", "org-legal-aid", 3, 3, ""),
    ("org-immigrant-alliance", "org-southport-nu", 2, 3, ""),
    ("org-pride-center", "org-landing-youth", 2, 3, ""),
    ("org-pride-center", "org-speak-up", 2, 3, "Shared peer support group space"),
    ("org-aging", "org-united-way", 2, 3, ""),
    ("org-speak-up", "org-rfmh", 2, 3, ""),
    ("org-speak-up", "org-user-union", 3, 4, ""),
    ("org-rfmh", "org-parent-network", 3, 4, ""),
    ("org-parent-network", "org-rusd", 2, 2, ""),
    ("org-bluestem", "org-harmony-family", 2, 3, "Joint sliding-scale program"),
    ("org-harmony-family", "org-riverside-trauma", 2, 3, ""),
    ("org-riverside-trauma", "org-safe-harbor", 3, 3, ""),
    ("org-harmony-family", "org-riverbend-youth", 2, 3, ""),
    ("org-mayor", "org-city-council", 3, 3, ""),
    ("org-mayor", "org-county-commission", 2, 2, ""),
    ("org-mayor", "org-dba", 3, 3, ""),
    ("org-dba", "org-chamber", 4, 4, ""),
    ("org-city-council", "org-county-commission", 2, 3, ""),
    ("org-library", "org-parks", 3, 4, ""),
    ("org-mayor", "org-library", 2, 3, ""),
    ("org-state-delegation", "org-county-commission", 2, 3, ""),
    ("org-state-delegation", "org-state-obh", 2, 3, ""),
    ("org-west-hills-watch", "org-millbrook-watch", 2, 3, ""),
    ("org-downtown-ra", "org-dba", 3, 3, ""),
    ("org-downtown-ra", "org-river-street", 2, 2, "Good-neighbor agreement"),
    ("org-first-methodist", "org-food-bank", 3, 3, "Weekday breakfast uses food bank stock"),
    ("org-first-methodist", "org-river-street", 3, 3, "Overflow nights in the fellowship hall"),
    ("org-st-brigid", "org-food-bank", 2, 3, ""),
    ("org-masjid-annur", "org-immigrant-alliance", 3, 4, ""),
    ("org-masjid-annur", "org-southport-nu", 3, 3, ""),
    ("org-st-brigid", "org-west-hills-watch", 2, 3, ""),
    ("org-first-methodist", "org-downtown-ra", 2, 3, ""),
    ("org-st-brigid", "org-first-methodist", 3, 3, "Interfaith shelter rotation"),
    ("org-masjid-annur", "org-first-methodist", 2, 3, "Interfaith shelter rotation"),
    ("org-greater-hope", "org-northgate-na", 4, 4, ""),
    ("org-greater-hope", "org-food-bank", 2, 2, "Saturday meal is a food bank partner agency"),
    ("org-greater-hope", "org-first-methodist", 2, 2, ""),
    ("org-northgate-na", "org-parks", 2, 2, "Uses the Alder Street center"),
    ("org-northgate-na", "org-city-council", 2, 1, ""),
    ("org-community-foundation", "org-united-way", 3, 3, ""),
]

# (source, target, strength, trust, notes)
FUNDS = [
    ("org-rchd", TEAM, 4, 4, "County general fund and opioid settlement dollars"),
    ("org-state-obh", TEAM, 3, 3, "Two-year crisis continuum grant"),
    ("org-city-council", TEAM, 3, 3, "City share of the planning budget"),
    ("org-county-commission", "org-county-mcu", 3, 3, ""),
    ("org-state-obh", "org-tri-rivers-cmhc", 3, 3, ""),
    ("org-state-obh", "org-riverlands-988", 3, 3, ""),
    ("org-community-foundation", "org-hrp", 3, 4, ""),
    ("org-community-foundation", "svc-community-fridges", 2, 3, ""),
    ("org-united-way", "org-food-bank", 3, 4, ""),
    ("org-county-commission", TRANSIT_ORG, 3, 3, "Access Rides subsidy"),
    ("org-rchd", "org-hrp", 3, 3, ""),
    ("org-community-foundation", "org-speak-up", 2, 3, ""),
    ("org-rchd", "org-od-coalition", 3, 3, ""),
    ("org-city-council", "org-rpd", 4, 2, ""),
    ("org-city-council", "org-rfems", 4, 3, ""),
]

# (source, target, strength, trust)
REFERRALS = [
    (TEAM, "svc-988-line", 3, 3),
    (TEAM, "svc-mobile-crisis", 3, 3),
    (TEAM, "svc-walk-in-crisis", 3, 3),
    (TEAM, "svc-sobering-center", 3, 3),
    (TEAM, "svc-mat-clinic", 3, 4),
    (TEAM, "svc-syringe-services", 3, 4),
    (TEAM, "svc-coordinated-entry", 2, 3),
    (TEAM, "svc-night-shelter", 2, 3),
    (TEAM, "svc-daily-checkin", 2, 3),
    (TEAM, "svc-emergency-dept", 3, 3),
    (TEAM, "svc-primary-care", 3, 4),
    (TEAM, "svc-community-paramedicine", 3, 3),
    (TEAM, "svc-food-pantry", 2, 3),
    (TEAM, "svc-youth-crisis-line", 2, 3),
    (TEAM, DV_SVC, 2, 3),
    (TEAM, "svc-211", 2, 3),
    (TEAM, "svc-legal-clinic", 2, 3),
    (TEAM, "org-tri-rivers-cmhc", 3, 3),
    (TEAM, "org-hrp", 3, 4),
    (TEAM, "org-harbor-light", 3, 3),
    (TEAM, "org-coc", 2, 3),
    ("org-tri-rivers-cmhc", "svc-sobering-center", 3, 3),
    ("org-tri-rivers-cmhc", "svc-mat-clinic", 3, 3),
    ("org-tri-rivers-cmhc", "svc-coordinated-entry", 2, 3),
    ("org-hrp", "svc-mat-clinic", 3, 4),
    ("org-hrp", "svc-naloxone-vending", 3, 4),
    ("org-hrp", "svc-sobering-center", 3, 3),
    ("org-hrp", "svc-primary-care", 3, 4),
    ("org-riverton-general", "svc-walk-in-crisis", 2, 3),
    ("org-riverton-general", "svc-sobering-center", 3, 3),
    ("org-riverton-general", "svc-coordinated-entry", 2, 2),
    ("org-riverton-general", "svc-mat-clinic", 3, 3),
    ("org-rusd", "svc-youth-crisis-line", 3, 3),
    ("org-rusd", "svc-youth-drop-in", 2, 3),
    ("org-united-way", "svc-food-pantry", 3, 4),
    ("org-united-way", "svc-legal-clinic", 2, 3),
    ("org-united-way", DV_SVC, 3, 3),
    ("org-united-way", "svc-coordinated-entry", 3, 3),
    ("org-united-way", "svc-daily-checkin", 2, 3),
    ("org-river-street", "svc-coordinated-entry", 3, 3),
    ("org-river-street", "svc-primary-care", 2, 3),
    ("org-county-mcu", "svc-walk-in-crisis", 3, 3),
    ("org-county-mcu", "svc-sobering-center", 2, 3),
    ("org-rfems", "svc-emergency-dept", 4, 3),
    ("org-rfems", "svc-sobering-center", 2, 3),
    ("org-riverlands-988", "svc-mobile-crisis", 4, 4),
    ("org-safe-harbor", "svc-legal-clinic", 3, 4),
    ("org-safe-harbor", "svc-family-shelter", 2, 3),
    ("org-landing-youth", "svc-youth-crisis-line", 3, 3),
    ("org-landing-youth", "svc-food-pantry", 2, 3),
    ("org-rc911", "svc-988-line", 3, 3),
    ("org-rc911", "svc-mobile-crisis", 3, 3),
    ("org-rpd", "svc-mobile-crisis", 3, 2),
    ("org-rpd", "svc-sobering-center", 2, 2),
    ("org-bluestem", "svc-walk-in-crisis", 2, 3),
    ("org-riverside-trauma", DV_SVC, 3, 3),
    ("org-aging", "svc-community-paramedicine", 2, 3),
    ("org-immigrant-alliance", "svc-legal-clinic", 3, 3),
    ("org-immigrant-alliance", "svc-primary-care", 2, 3),
    ("org-immigrant-alliance", "svc-food-pantry", 2, 3),
    ("org-rcc", "svc-sliding-scale-therapy", 2, 3),
    ("org-harmony-family", "svc-youth-crisis-line", 2, 3),
    ("org-coc", "svc-rapid-rehousing", 3, 3),
    ("org-speak-up", "svc-walk-in-crisis", 2, 2),
    ("p-jose-alvarado", "svc-youth-crisis-line", 3, 3),
    ("p-renee-holmberg", "svc-coordinated-entry", 2, 3),
    ("p-luz-morales", "svc-food-pantry", 2, 3),
    ("p-dustin-pratt", "svc-sobering-center", 2, 3),
    ("p-kwame-asante", "svc-community-fridges", 2, 3),
    ("p-amina-yusuf", "svc-legal-clinic", 3, 4),
    ("org-northgate-na", "svc-food-pantry", 2, 2),
]

# organizations that serve communities: (org, [communities])
ORG_SERVES = [
    ("org-northgate-na", [NORTHGATE]),
    ("org-greater-hope", [NORTHGATE]),
    ("org-west-hills-watch", ["com-west-hills"]),
    ("org-downtown-ra", ["com-downtown"]),
    ("org-millbrook-watch", ["com-millbrook"]),
    ("org-southport-nu", ["com-southport"]),
    ("org-immigrant-alliance", ["com-southport"]),
    ("org-hrp", ["com-downtown", NORTHGATE, "com-southport"]),
    ("org-food-bank", ["com-downtown", "com-southport", NORTHGATE, "com-millbrook"]),
    ("org-landing-youth", ["com-downtown", NORTHGATE]),
    ("org-st-brigid", ["com-west-hills"]),
    ("org-masjid-annur", ["com-southport"]),
    ("org-first-methodist", ["com-downtown"]),
    ("org-rcc", ["com-college-heights"]),
    ("org-riverton-general", ["com-college-heights", "com-downtown"]),
    ("org-parks", [NORTHGATE, "com-millbrook", "com-southport"]),
    ("org-library", ["com-downtown", "com-southport"]),
    ("org-aging", ["com-west-hills", "com-millbrook"]),
    ("org-pride-center", ["com-downtown", "com-college-heights"]),
    (TEAM, ["com-downtown", NORTHGATE, "com-southport", "com-college-heights"]),
]

# memberships of organizations in coalitions
ORG_MEMBERSHIPS = [
    ("org-river-street", "org-coc"),
    ("org-bridgeway", "org-coc"),
    ("org-rha", "org-coc"),
    ("org-safe-harbor", "org-coc"),
    ("org-riverton-general", "org-coc"),
    ("org-hrp", "org-od-coalition"),
    ("org-user-union", "org-od-coalition"),
    ("org-harbor-light", "org-od-coalition"),
    ("org-rfems", "org-od-coalition"),
    ("org-dba", "org-chamber"),
]

# secondary memberships of people (congregations, unions, coalitions)
PERSON_MEMBERSHIPS = [
    ("p-kevin-doyle", "org-rpoa"),
    ("p-jasmine-lee", "org-rpoa"),
    ("p-matthew-kowalczyk", "org-rpoa"),
    ("p-samuel-okafor", "org-rpoa"),
    ("p-shirley-washington", "org-greater-hope"),
    ("p-jerome-battle", "org-greater-hope"),
    ("p-otis-freeman", "org-greater-hope"),
    ("p-tanisha-brooks", "org-greater-hope"),
    ("p-bill-sanderson", "org-st-brigid"),
    ("p-yusra-hassan", "org-masjid-annur"),
    ("p-ahmed-farah", "org-masjid-annur"),
    ("p-gwen-matthews", "org-first-methodist"),
    ("p-gwen-matthews", "org-rfmh"),
    ("p-guadalupe-ortega", "org-iglesia-fuente"),
    ("p-yesenia-cruz", "org-iglesia-fuente"),
    ("p-dalia-quispe", "org-iglesia-fuente"),
    ("p-wilmer-aguilar", "org-iglesia-fuente"),
    ("p-marisol-vazquez", "org-iglesia-fuente"),
    ("p-travis-boone", "org-speak-up"),
    ("p-wei-chen", "org-speak-up"),
    ("p-harold-jenkins", NORTHGATE),
    ("p-denise-whitfield", NORTHGATE),
    ("p-yolanda-pierce", NORTHGATE),
    ("p-brenda-carver", NORTHGATE),
    ("p-clarence-booker", NORTHGATE),
    ("p-lorraine-tate", NORTHGATE),
    (KEISHA, NORTHGATE),
    ("p-efrain-solis", EASTBANK),
    ("p-doug-ferris", "com-west-hills"),
    ("p-bao-tran", "com-southport"),
    ("p-lorenzo-bianchi", "com-downtown"),
    ("p-tom-hendricks", "com-millbrook"),
    ("p-glen-harper", "org-rfmh"),
    ("p-nora-castellanos", "org-od-coalition"),
]

# hand-written ties between people: (a, b, type, strength, trust, notes)
PERSON_TIES = [
    # Luis: the only bridge between Eastbank and the rest of the network
    (LUIS, "p-samuel-okafor", "communicates_with", 3, 3, "CIT coordination"),
    (LUIS, "p-jasmine-lee", "communicates_with", 3, 3, ""),
    (LUIS, "p-matthew-kowalczyk", "communicates_with", 3, 3, "His lieutenant"),
    (LUIS, "p-angela-brandt", "communicates_with", 2, 3, ""),
    (LUIS, "p-marisol-vazquez", "communicates_with", 2, 2, "Sponsors the youth soccer league's jerseys"),
    (LUIS, "p-guadalupe-ortega", "communicates_with", 2, 2, "Attends the parents' group once a month"),
    (LUIS, "p-efrain-solis", "communicates_with", 2, 2, ""),
    (LUIS, "p-hector-ramirez", "communicates_with", 1, 2, ""),
    (LUIS, EASTBANK, "communicates_with", 2, 2, "Liaison at Eastbank community meetings; residents are wary of police"),
    ("p-tomas-herrera", LUIS, "trusts", 1, 2, ""),
    # Eastbank among themselves
    ("p-efrain-solis", "p-guadalupe-ortega", "communicates_with", 3, 4, ""),
    ("p-efrain-solis", "p-marisol-vazquez", "communicates_with", 3, 4, ""),
    ("p-guadalupe-ortega", "p-ana-chavez", "communicates_with", 3, 4, ""),
    ("p-guadalupe-ortega", "p-dalia-quispe", "communicates_with", 3, 4, "Savings circle"),
    ("p-guadalupe-ortega", "p-yesenia-cruz", "communicates_with", 3, 4, "Savings circle"),
    ("p-marisol-vazquez", "p-wilmer-aguilar", "communicates_with", 2, 3, ""),
    ("p-marisol-vazquez", "p-tomas-herrera", "communicates_with", 3, 4, ""),
    ("p-hector-ramirez", "p-jorge-mendoza", "communicates_with", 2, 3, ""),
    ("p-jorge-mendoza", "p-yesenia-cruz", "communicates_with", 3, 3, "Coworkers at the packing plant"),
    ("p-marie-claude-joseph", "p-ana-chavez", "communicates_with", 3, 4, "Both home health workers"),
    ("p-marie-claude-joseph", "p-dalia-quispe", "communicates_with", 2, 3, ""),
    ("p-tomas-herrera", "p-efrain-solis", "trusts", 2, 4, ""),
    ("p-ana-chavez", "p-guadalupe-ortega", "trusts", 2, 4, ""),
    ("p-wilmer-aguilar", "p-hector-ramirez", "communicates_with", 2, 3, ""),
    # Keisha: the only trusted bridge from Northgate
    (KEISHA, TEAM, "communicates_with", 3, 4, "Advises the team on outreach in Northgate"),
    (KEISHA, "p-alicia-benitez", "communicates_with", 3, 3, ""),
    (KEISHA, "p-nora-castellanos", "communicates_with", 4, 4, ""),
    (KEISHA, "p-dustin-pratt", "communicates_with", 4, 4, ""),
    (KEISHA, "p-jordan-blake", "communicates_with", 2, 3, ""),
    (KEISHA, "p-harold-jenkins", "communicates_with", 3, 4, ""),
    (KEISHA, "p-denise-whitfield", "communicates_with", 3, 4, ""),
    (KEISHA, "p-marcus-greene", "communicates_with", 3, 4, ""),
    (KEISHA, "p-andre-coleman", "communicates_with", 3, 4, "Recovery sponsor"),
    (KEISHA, "p-deshawn-porter", "communicates_with", 3, 4, "Trained him in naloxone"),
    (KEISHA, "p-clarence-booker", "communicates_with", 2, 4, ""),
    (KEISHA, "p-shirley-washington", "communicates_with", 2, 4, ""),
    ("p-tanisha-brooks", KEISHA, "trusts", 3, 4, ""),
    ("p-kiara-woods", KEISHA, "trusts", 3, 4, ""),
    ("p-ronald-pettiford", KEISHA, "trusts", 2, 4, ""),
    ("p-marcus-greene", KEISHA, "trusts", 3, 4, ""),
    # Northgate among themselves
    ("p-harold-jenkins", "p-denise-whitfield", "communicates_with", 4, 4, ""),
    ("p-harold-jenkins", "p-yolanda-pierce", "communicates_with", 3, 4, ""),
    ("p-harold-jenkins", "p-brenda-carver", "communicates_with", 3, 4, ""),
    ("p-harold-jenkins", "p-clarence-booker", "communicates_with", 3, 4, ""),
    ("p-clarence-booker", "p-lorraine-tate", "communicates_with", 4, 4, ""),
    ("p-lorraine-tate", "p-shirley-washington", "communicates_with", 3, 4, ""),
    ("p-shirley-washington", "p-otis-freeman", "communicates_with", 3, 4, ""),
    ("p-cedric-holloway", "p-malik-dawson", "communicates_with", 3, 4, "His coach"),
    ("p-cedric-holloway", "p-latoya-sims", "communicates_with", 2, 3, ""),
    ("p-latoya-sims", "p-kiara-woods", "communicates_with", 3, 4, ""),
    ("p-jerome-battle", "p-marcus-greene", "communicates_with", 2, 3, ""),
    ("p-jerome-battle", "p-ronald-pettiford", "communicates_with", 2, 3, ""),
    ("p-jerome-battle", "p-cedric-holloway", "communicates_with", 2, 3, ""),
    ("p-tanisha-brooks", "p-denise-whitfield", "communicates_with", 3, 4, ""),
    ("p-aaliyah-simmons", "p-yolanda-pierce", "communicates_with", 3, 4, "Her aunt"),
    ("p-andre-coleman", "p-deshawn-porter", "communicates_with", 3, 3, ""),
    ("p-otis-freeman", "p-ronald-pettiford", "communicates_with", 2, 3, ""),
    # Northgate's weaker ties outward (trust <= 2 by construction)
    ("p-harold-jenkins", "p-raymond-ellis", "communicates_with", 3, 2, "Ward 2 councilmember"),
    ("p-harold-jenkins", "p-samuel-okafor", "communicates_with", 1, 1, "Quarterly complaints meeting"),
    ("p-denise-whitfield", "p-ruth-abernathy", "communicates_with", 2, 2, ""),
    ("p-shirley-washington", "p-kwame-asante", "communicates_with", 2, 2, "Garden produce goes to the pantry"),
    ("p-cedric-holloway", "p-trina-jackson", "communicates_with", 2, 2, ""),
    ("p-cedric-holloway", "p-dante-ramos", "communicates_with", 2, 2, "Practice field permits"),
    ("p-clarence-booker", "p-ellen-carlisle", "communicates_with", 2, 2, "Interfaith clergy breakfast"),
    ("p-lorraine-tate", "p-beth-sorensen", "communicates_with", 2, 2, ""),
    ("p-latoya-sims", "p-jose-alvarado", "communicates_with", 2, 2, ""),
    ("p-marcus-greene", "p-jordan-blake", "communicates_with", 2, 2, ""),
    ("p-andre-coleman", "p-crystal-hayes", "communicates_with", 2, 2, ""),
    ("p-deshawn-porter", "p-shane-whitlock", "communicates_with", 2, 2, ""),
    ("p-kiara-woods", "p-amy-kessler", "communicates_with", 1, 2, ""),
    ("p-ronald-pettiford", "p-marcus-webb", "communicates_with", 2, 2, "His therapist"),
    ("p-tanisha-brooks", "p-judith-abrams", "communicates_with", 2, 2, ""),
    ("p-aaliyah-simmons", "p-kofi-boateng", "communicates_with", 1, 2, "Clinical placement"),
    ("p-malik-dawson", "p-andy-pham", "communicates_with", 2, 2, ""),
    ("p-yolanda-pierce", "p-dolores-king", "communicates_with", 1, 2, ""),
    ("p-otis-freeman", "p-rashid-khan", "communicates_with", 2, 2, "Former coworker at RiverLink"),
    ("p-brenda-carver", "p-pao-vang", "communicates_with", 1, 2, ""),
    ("p-jerome-battle", "p-greg-saunders", "communicates_with", 1, 1, ""),
    # the team's own staff reach
    ("p-alicia-benitez", "p-margaret-osei", "communicates_with", 4, 4, ""),
    ("p-alicia-benitez", "p-ifeoma-adeyemi", "communicates_with", 4, 4, ""),
    ("p-alicia-benitez", "p-nora-castellanos", "communicates_with", 3, 4, ""),
    ("p-alicia-benitez", "p-natalie-chen", "communicates_with", 3, 3, ""),
    ("p-alicia-benitez", "p-linda-park", "communicates_with", 3, 3, ""),
    ("p-alicia-benitez", "p-michael-oconnell", "communicates_with", 3, 3, ""),
    ("p-alicia-benitez", "p-robert-nguyen", "communicates_with", 3, 3, ""),
    ("p-alicia-benitez", "p-judith-abrams", "communicates_with", 2, 3, ""),
    ("p-alicia-benitez", "p-jordan-blake", "communicates_with", 3, 4, ""),
    ("p-alicia-benitez", "p-samuel-okafor", "communicates_with", 2, 2, "Monthly call-diversion meeting"),
    ("p-alicia-benitez", "p-fatima-rahman", "communicates_with", 3, 3, ""),
    ("p-alicia-benitez", "p-raymond-ellis", "communicates_with", 2, 3, ""),
    ("p-daniel-yoon", "p-elaine-fitzgerald", "communicates_with", 3, 4, ""),
    ("p-daniel-yoon", "p-javier-soto", "communicates_with", 3, 3, ""),
    ("p-daniel-yoon", "p-mei-lin-zhou", "communicates_with", 3, 4, ""),
    ("p-daniel-yoon", "p-priya-raman", "communicates_with", 3, 3, ""),
    ("p-daniel-yoon", "p-brianna-foster", "communicates_with", 3, 3, "Triage protocol working group"),
    ("p-rachel-greenberg", "p-vikram-desai", "communicates_with", 3, 4, ""),
    ("p-rachel-greenberg", "p-carlos-ibarra", "communicates_with", 2, 3, "911 call data"),
    ("p-jolene-whitehorse", "p-jordan-blake", "communicates_with", 3, 4, ""),
    ("p-jolene-whitehorse", "p-terrence-mack", "communicates_with", 3, 4, ""),
    ("p-jolene-whitehorse", "p-derrick-young", "communicates_with", 3, 4, ""),
    ("p-jolene-whitehorse", "p-crystal-hayes", "communicates_with", 2, 3, ""),
    # transit: talks to people, refers nobody and partners with no one
    ("p-deborah-lang", "p-aaron-goldstein", "communicates_with", 2, 3, ""),
    ("p-deborah-lang", "p-bernadette-quinn", "communicates_with", 2, 3, ""),
    ("p-rashid-khan", "p-dolores-king", "communicates_with", 3, 3, "Older adults' ride eligibility"),
    ("p-rashid-khan", "p-jennifer-holt", "communicates_with", 1, 2, ""),
    ("p-rashid-khan", "p-fatima-rahman", "communicates_with", 1, 3, ""),
    (TRANSIT_ORG, "org-mayor", "communicates_with", 2, 3, ""),
    (TRANSIT_ORG, "org-aging", "communicates_with", 2, 3, ""),
    ("p-ming-zhao", "p-luz-morales", "communicates_with", 2, 3, "Books rides for clinic patients"),
    ("p-ming-zhao", "p-dolores-king", "communicates_with", 2, 3, ""),
    (RIDES_ORG, "org-confluence-chc", "communicates_with", 2, 3, ""),
    # police: guarded ties outward (trust <= 2 by construction)
    ("p-gregory-haldane", "p-diane-whitaker", "communicates_with", 3, 2, ""),
    ("p-gregory-haldane", "p-michael-oconnell", "communicates_with", 3, 2, ""),
    ("p-gregory-haldane", "p-linda-park", "communicates_with", 3, 2, ""),
    ("p-angela-brandt", "p-carlos-ibarra", "communicates_with", 3, 2, ""),
    ("p-samuel-okafor", "p-natalie-chen", "communicates_with", 3, 2, "Co-responder pilot"),
    ("p-samuel-okafor", "p-elaine-fitzgerald", "communicates_with", 2, 2, "CIT course faculty"),
    ("p-jasmine-lee", "p-javier-soto", "communicates_with", 2, 2, ""),
    ("p-kevin-doyle", "p-lorenzo-bianchi", "communicates_with", 2, 2, "Downtown beat"),
    ("p-kevin-doyle", "p-greg-saunders", "communicates_with", 2, 2, ""),
    ("p-matthew-kowalczyk", "p-doug-ferris", "communicates_with", 2, 2, ""),
    ("p-ryan-mcallister", "p-christine-albrecht", "communicates_with", 2, 2, ""),
    ("p-ryan-mcallister", "p-patrick-hale", "communicates_with", 2, 2, ""),
    ("p-tom-hendricks", "org-rpd", "trusts", 2, 2, ""),
    ("p-nancy-yates", "org-rpd", "trusts", 1, 2, ""),
    # faith ties to neighborhoods and community organizations (none to the program)
    ("p-tomasz-nowak", "p-doug-ferris", "communicates_with", 2, 3, ""),
    ("p-maria-guzman", "p-beth-sorensen", "communicates_with", 2, 3, ""),
    ("p-maria-guzman", "p-naomi-feld", "communicates_with", 2, 3, "Eviction referrals"),
    ("p-yusuf-abdullah", "p-hodan-ali", "communicates_with", 3, 4, ""),
    ("p-yusuf-abdullah", "p-abdi-warsame", "communicates_with", 3, 4, ""),
    ("p-khadija-osman", "p-amina-yusuf", "communicates_with", 2, 3, ""),
    ("p-khadija-osman", "p-yusra-hassan", "communicates_with", 3, 4, ""),
    ("p-ellen-carlisle", "p-raymond-castillo", "communicates_with", 3, 3, ""),
    ("p-george-whitcomb", "p-kwame-asante", "communicates_with", 2, 3, ""),
    ("p-george-whitcomb", "p-lorenzo-bianchi", "communicates_with", 2, 3, ""),
    ("p-ellen-carlisle", "p-tomasz-nowak", "communicates_with", 2, 3, "Interfaith clergy breakfast"),
    ("p-ellen-carlisle", "p-yusuf-abdullah", "communicates_with", 2, 3, "Interfaith clergy breakfast"),
    # other people
    ("p-steven-marsh", "p-priya-raman", "communicates_with", 3, 3, ""),
    ("p-renee-holmberg", "p-elaine-fitzgerald", "communicates_with", 3, 3, ""),
    ("p-renee-holmberg", "p-jennifer-holt", "communicates_with", 2, 3, ""),
    ("p-kofi-boateng", "p-javier-soto", "communicates_with", 3, 3, ""),
    ("p-catherine-ashby", "p-nora-castellanos", "communicates_with", 2, 3, ""),
    ("p-catherine-ashby", "p-gary-whitman", "communicates_with", 2, 3, ""),
    ("p-karen-lundgren", "p-margaret-osei", "communicates_with", 3, 3, ""),
    ("p-karen-lundgren", "p-susan-albright", "communicates_with", 3, 3, ""),
    ("p-sharon-delacroix", "p-margaret-osei", "communicates_with", 2, 3, ""),
    ("p-sharon-delacroix", "p-judith-abrams", "communicates_with", 2, 3, ""),
    ("p-eli-friedman", "p-walter-grimes", "communicates_with", 2, 3, ""),
    ("p-walter-grimes", "p-natalie-chen", "communicates_with", 2, 3, ""),
    ("p-heather-voss", "p-dwayne-richards", "communicates_with", 3, 3, ""),
    ("p-gwen-matthews", "p-judith-abrams", "communicates_with", 3, 4, ""),
    ("p-travis-boone", "p-bobby-lyons", "communicates_with", 2, 3, ""),
    ("p-travis-boone", "p-dustin-pratt", "communicates_with", 3, 4, ""),
    ("p-wei-chen", "p-anthony-russo", "communicates_with", 2, 3, ""),
    ("p-bill-sanderson", "p-doug-ferris", "communicates_with", 2, 3, ""),
    ("p-connor-obrien", "p-tom-hendricks", "communicates_with", 2, 3, ""),
    ("p-lakshmi-iyer", "p-priscilla-wong", "communicates_with", 2, 3, ""),
    ("p-lakshmi-iyer", "p-ben-carter", "communicates_with", 1, 3, ""),
    ("p-rosa-linares", "p-bao-tran", "communicates_with", 2, 3, ""),
    ("p-rosa-linares", "p-yer-xiong", "communicates_with", 1, 3, ""),
    ("p-yusra-hassan", "p-hodan-ali", "communicates_with", 3, 4, ""),
    ("p-glen-harper", "p-priya-raman", "communicates_with", 2, 3, ""),
]

# ties that already ended in the 2026 wave (kept as history)
ENDED_TIES = [
    (
        "org-community-foundation",
        "org-riverbend-youth",
        "funds",
        2,
        3,
        "2023-01-01",
        "2025-12-31",
        "One-year youth crisis line capacity grant, not renewed",
    ),
    (
        "org-pride-center",
        "org-rusd",
        "partners_with",
        2,
        3,
        "2022-09-01",
        "2026-03-31",
        "Gender-sexuality alliance support ended when the district changed policy",
    ),
    (
        "p-gary-whitman",
        "p-susan-albright",
        "communicates_with",
        2,
        3,
        "2020-05-01",
        "2025-06-30",
        "Joint 211/988 work group disbanded",
    ),
    (
        "org-mayor",
        "org-rc911",
        "partners_with",
        2,
        3,
        "2021-01-15",
        "2025-02-28",
        "Call-data dashboard project finished",
    ),
    (
        "p-vikram-desai",
        "p-glen-harper",
        "communicates_with",
        2,
        3,
        "2023-03-01",
        "2026-01-31",
        "Overdose fatality review moved to the state",
    ),
]


# --------------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------------


class Refused(Exception):
    """A relationship would break a planted fact."""


class Builder:
    """Nodes and relationships of one wave, with the zone rules that keep the planted facts true."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.nodes: dict[str, dict] = {}
        self.edges: list[dict] = []
        self.index: set[tuple[str, str, str]] = set()
        self.zone: dict[str, str] = {}

    # nodes ---------------------------------------------------------------------------------------
    def node(self, nid: str, **attrs) -> None:
        assert nid not in self.nodes, nid
        assert attrs["kind"] in KINDS, attrs
        self.nodes[nid] = {"id": nid, **attrs}

    def compute_zones(self) -> None:
        for nid, attrs in self.nodes.items():
            self.zone[nid] = self._zone(nid, attrs)

    def _zone(self, nid: str, attrs: dict) -> str:
        if nid == LUIS:
            return "L"
        if nid == KEISHA:
            return "K"
        if nid == TENANTS:
            return "X"
        if nid in (EASTBANK, "org-iglesia-fuente"):
            return "E"
        if nid in (NORTHGATE, "org-northgate-na", "org-greater-hope"):
            return "N"
        if nid in ("org-rpd", "org-rpoa"):
            return "P"
        if nid in TRANSPORT:
            return "T"
        if attrs["kind"] == "person":
            if attrs.get("community") == EASTBANK:
                return "E"
            if attrs.get("community") == NORTHGATE:
                return "N"
            if attrs.get("_home") in ("org-rpd", "org-rpoa"):
                return "P"
            if attrs.get("_home") in TRANSPORT:
                return "T"
        return "M"

    # relationships -------------------------------------------------------------------------------
    def has(self, a: str, b: str, kind: str) -> bool:
        if (a, b, kind) in self.index:
            return True
        return kind in UNDIRECTED_EDGE_TYPES and (b, a, kind) in self.index

    def allowed(self, a: str, b: str, kind: str) -> bool:
        try:
            self._check(a, b, kind)
        except Refused:
            return False
        return not self.has(a, b, kind)

    def _check(self, a: str, b: str, kind: str) -> None:
        za, zb = self.zone[a], self.zone[b]
        pair = {za, zb}
        if "X" in pair:
            raise Refused(f"{a} {b}: the tenants union stays isolated")
        if "E" in pair and not pair <= {"E", "L"}:
            raise Refused(f"{a} {b}: Eastbank relates only to Eastbank and Luis")
        if "L" in pair and not pair <= {"E", "L", "P"}:
            raise Refused(f"{a} {b}: Luis relates only to Eastbank and the police")
        if "T" in pair and kind in ("refers_to", "partners_with"):
            raise Refused(f"{a} {b}: no referral chain reaches transit")
        kinds = EDGE_ENDPOINTS[kind]
        if self.nodes[a]["kind"] not in kinds[0] or self.nodes[b]["kind"] not in kinds[1]:
            raise Refused(f"{a} -{kind}-> {b}: kinds not allowed")

    def trust_cap(self, a: str, b: str) -> int:
        za, zb = self.zone[a], self.zone[b]
        if za == zb:
            return 4
        if frozenset((za, zb)) in {frozenset("KM"), frozenset("KN"), frozenset("MT"), frozenset("LP"), frozenset("KT")}:
            return 4
        return 2

    def add(
        self,
        a: str,
        b: str,
        kind: str,
        strength: int | None,
        trust: int | None,
        since: str = "",
        until: str = "",
        notes: str = "",
        strict: bool = True,
    ) -> bool:
        """Add a relationship; strict: refusing it is a bug. Trust above the zone cap is lowered."""
        assert a in self.nodes and b in self.nodes, (a, b)
        assert a != b, a
        assert kind in EDGE_TYPES
        try:
            self._check(a, b, kind)
        except Refused:
            if strict:
                raise
            return False
        if self.has(a, b, kind):
            if strict:
                raise AssertionError(f"duplicate {a} {b} {kind}")
            return False
        if trust is not None:
            trust = min(trust, self.trust_cap(a, b))
        self.edges.append(
            {
                "source": a,
                "target": b,
                "type": kind,
                "strength": strength,
                "trust": trust,
                "since": since,
                "until": until,
                "notes": notes,
            }
        )
        self.index.add((a, b, kind))
        return True

    def remove_node(self, nid: str) -> list[dict]:
        lost = [e for e in self.edges if nid in (e["source"], e["target"])]
        self.edges = [e for e in self.edges if nid not in (e["source"], e["target"])]
        self.index = {(e["source"], e["target"], e["type"]) for e in self.edges}
        del self.nodes[nid]
        return lost

    def remove_edge(self, a: str, b: str, kind: str) -> dict:
        for i, e in enumerate(self.edges):
            if e["type"] == kind and (
                (e["source"], e["target"]) == (a, b)
                or (kind in UNDIRECTED_EDGE_TYPES and (e["source"], e["target"]) == (b, a))
            ):
                del self.edges[i]
                self.index.discard((e["source"], e["target"], kind))
                return e
        raise KeyError((a, b, kind))

    def neighbours(self, nid: str) -> set[str]:
        out = set()
        for e in self.edges:
            if e["source"] == nid:
                out.add(e["target"])
            elif e["target"] == nid:
                out.add(e["source"])
        return out


def rand_date(rng: random.Random, start: str, end: str) -> str:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return (a + dt.timedelta(days=rng.randint(0, (b - a).days))).isoformat()


# --------------------------------------------------------------------------------------------------
# Wave 2026
# --------------------------------------------------------------------------------------------------


def participants_of(engagements) -> set[str]:
    found = set()
    for _eid, _name, _method, _date, people, _orgs, _notes in engagements:
        found.update(people)
    return found


def assign_communities(people: list[dict], participants: set[str], board: set[str]) -> None:
    """Give people with no fixed community one, so engaged people and board members mirror the city.

    Board members first (to match population shares among decision holders), then other engaged
    people, then everyone else; each goes to the community furthest below its target count.
    """
    shares = {c[0]: c[2] for c in COMMUNITIES}

    def fill(group: list[dict], universe: list[dict]) -> None:
        counts = {c: 0 for c in shares}
        for p in universe:
            if p["community"] and p not in group:
                counts[p["community"]] += 1
        total = sum(counts.values()) + len(group)
        for p in group:
            best = max(FREE_COMMUNITIES, key=lambda c: (shares[c] * total - counts[c], shares[c]))
            p["community"] = best
            counts[best] += 1

    free = [p for p in people if p["community"] is None]
    board_people = [p for p in people if p["id"] in board]
    fill([p for p in free if p["id"] in board], board_people)
    engaged_people = [p for p in people if p["id"] in participants or p["id"] in board]
    fill([p for p in free if p["community"] is None and p["id"] in participants], engaged_people)
    fill([p for p in free if p["community"] is None], people)


def build_2026(seed: int) -> Builder:
    rng = random.Random(seed)
    b = Builder(rng)
    people = [dict(p) for p in PEOPLE]
    board = {p["id"] for p in people if p["role"]}
    assign_communities(people, participants_of(ENGAGEMENTS), board)

    for cid, name, share, priority, tags, notes in COMMUNITIES:
        b.node(
            cid,
            name=name,
            kind="community",
            sector="",
            population_share=share,
            priority=priority,
            languages=COMMUNITY_LANGUAGES.get(cid, ""),
            tags=tags,
            notes=notes,
        )
    b.node(
        TEAM,
        name="Riverton Community Response (RCR)",
        kind="team",
        sector="mobile_crisis",
        tags="responder-team|planned",
        notes="CAHOOTS-style team of a medic and a crisis worker per van, run by the county health department "
        "with Confluence Community Health Center. Planning began January 2025; launch planned for 2027.",
    )
    for oid, name, sector, tags, notes in ORGS:
        b.node(oid, name=name, kind="organization", sector=sector, tags=tags, notes=notes)
    for sid, name, _providers, needs, hours, languages, _serves, notes in SERVICES:
        b.node(sid, name=name, kind="service", sector="", needs=needs, hours=hours, languages=languages, notes=notes)
    for eid, name, method, date, _people, _orgs, notes in ENGAGEMENTS:
        b.node(eid, name=name, kind="engagement", sector="", method=method, date=date, notes=notes)
    for p in people:
        notes = p["title"] + ("; lives outside the city limits" if p["community"] == OUTSIDE else "")
        b.node(
            p["id"],
            name=p["name"],
            kind="person",
            sector=p["sector"],
            community=p["community"],
            lived_experience=p["lived"],
            decision_role=p["role"],
            notes=notes,
            _home=p["home"],
        )
    b.compute_zones()

    # memberships
    for p in people:
        home_kind = b.nodes[p["home"]]["kind"]
        strength = 4 if home_kind in ("organization", "team") else 3
        trust = rng.choice([3, 4, 4]) if p["id"] != LUIS else 3
        since = rand_date(rng, "2025-02-01" if p["home"] == TEAM else "2004-01-01", "2026-08-31")
        b.add(p["id"], p["home"], "member_of", strength, trust, since=since)
    for a, t in PERSON_MEMBERSHIPS:
        b.add(a, t, "member_of", 3, rng.choice([3, 4]), since=rand_date(rng, "2000-01-01", "2026-06-30"))
    for a, t in ORG_MEMBERSHIPS:
        b.add(a, t, "member_of", 3, 3, since=rand_date(rng, "2012-01-01", "2024-12-31"))

    # services: providers and communities served
    for sid, _name, providers, _needs, _hours, _languages, serves, _notes in SERVICES:
        for org in providers:
            b.add(org, sid, "provides", 4, 4, since=rand_date(rng, "2008-01-01", "2024-12-31"))
        for cid in serves:
            b.add(sid, cid, "serves", rng.choice([2, 3]), rng.choice([2, 3]))
    for org, communities in ORG_SERVES:
        for cid in communities:
            b.add(org, cid, "serves", rng.choice([2, 3]), rng.choice([3, 4]))

    # organization partnerships, funding and referrals
    for a, t, s, tr, notes in PARTNERS:
        since = rand_date(rng, "2025-02-01" if TEAM in (a, t) else "2010-01-01", "2026-08-31")
        b.add(a, t, "partners_with", s, tr, since=since, notes=notes)
    for a, t, s, tr, notes in FUNDS:
        b.add(
            a,
            t,
            "funds",
            s,
            tr,
            since=rand_date(rng, "2025-03-01" if t == TEAM else "2016-01-01", "2026-07-01"),
            notes=notes,
        )
    for a, t, s, tr in REFERRALS:
        since = rand_date(rng, "2025-06-01", "2026-09-15") if a == TEAM else ""
        b.add(a, t, "refers_to", s, tr, since=since)
    for a, t, kind, s, tr, since, until, notes in ENDED_TIES:
        b.add(a, t, kind, s, tr, since=since, until=until, notes=notes)

    # engagements
    for eid, _name, _method, _date, eng_people, eng_orgs, _notes in ENGAGEMENTS:
        for pid in eng_people:
            b.add(pid, eid, "participated_in", rng.choice([1, 2, 2]), rng.choice([3, 3, 4]))
        for oid in eng_orgs:
            b.add(oid, eid, "participated_in", 2, 3)
    for pid in sorted(board):
        b.add(pid, BOARD, "sits_on", 3, 3, since="2025-11-06", notes=b.nodes[pid]["decision_role"])

    # hand-written person ties
    for a, t, kind, s, tr, notes in PERSON_TIES:
        b.add(
            a,
            t,
            kind,
            s,
            tr,
            since=rand_date(rng, "2012-01-01", "2026-08-31") if rng.random() < 0.5 else "",
            notes=notes,
        )

    # coworkers talk to each other
    by_home: dict[str, list[str]] = {}
    for p in people:
        by_home.setdefault(p["home"], []).append(p["id"])
    for home, members in by_home.items():
        if b.nodes[home]["kind"] == "community":
            continue
        pairs = [(x, y) for i, x in enumerate(members) for y in members[i + 1 :]]
        for x, y in pairs:
            if len(members) <= 4 or rng.random() < 0.55:
                b.add(
                    x,
                    y,
                    "communicates_with",
                    rng.choice([3, 3, 4]),
                    rng.choice([3, 4, 4]),
                    since=rand_date(rng, "2015-01-01", "2026-08-31"),
                    strict=False,
                )

    # leaders of partner organizations talk to each other
    leader = {home: members[0] for home, members in by_home.items() if b.nodes[home]["kind"] != "community"}
    for a, t, _s, _tr, _notes in PARTNERS:
        if a in leader and t in leader and a != TEAM and t != TEAM and rng.random() < 0.6:
            b.add(leader[a], leader[t], "communicates_with", rng.choice([2, 3]), rng.choice([2, 3, 3, 4]), strict=False)

    # random ties, denser within sectors
    m_people = sorted(p["id"] for p in people if b.zone[p["id"]] == "M")
    by_sector: dict[str, list[str]] = {}
    for pid in m_people:
        by_sector.setdefault(b.nodes[pid]["sector"], []).append(pid)
    added = 0
    while added < 70:
        x = rng.choice(m_people)
        same = [y for y in by_sector[b.nodes[x]["sector"]] if y != x]
        within = same and rng.random() < 0.6
        y = rng.choice(same) if within else rng.choice(m_people)
        if y == x:
            continue
        trust = rng.choice([3, 4]) if within else rng.choice([2, 3, 3, 4])
        if b.add(
            x,
            y,
            "communicates_with",
            rng.choice([1, 2, 2, 3]),
            trust,
            since=rand_date(rng, "2016-01-01", "2026-08-31") if rng.random() < 0.4 else "",
            strict=False,
        ):
            added += 1
    # directed trust between people and toward organizations
    added = 0
    orgs_m = sorted(o for o in b.nodes if b.nodes[o]["kind"] == "organization" and b.zone[o] == "M")
    while added < 60:
        x = rng.choice(m_people)
        if rng.random() < 0.5:
            same = [y for y in by_sector[b.nodes[x]["sector"]] if y != x]
            y = rng.choice(same or m_people)
        else:
            y = rng.choice(orgs_m)
        if y == x:
            continue
        if b.add(x, y, "trusts", rng.choice([2, 3]), rng.choice([2, 3, 3, 4]), strict=False):
            added += 1

    # about a third of trust between people is mutual
    for e in list(b.edges):
        if e["type"] == "trusts" and b.nodes[e["target"]]["kind"] == "person" and rng.random() < 0.35:
            back = min(4, max(2, e["trust"] + rng.choice([-1, 0, 0, 1])))
            b.add(e["target"], e["source"], "trusts", e["strength"], back, strict=False)

    # nobody hangs on a single tie
    for nid in list(b.nodes):
        if nid == TENANTS:
            continue
        if b.nodes[nid]["kind"] != "person":
            assert len(b.neighbours(nid)) >= 2, nid
            continue
        pool = sorted(o for o in b.nodes if b.zone[o] == b.zone[nid] and b.nodes[o]["kind"] == "person" and o != nid)
        while len(b.neighbours(nid)) < 2:
            b.add(nid, rng.choice(pool), "communicates_with", 2, 3, strict=False)

    # a few more since dates
    for e in b.edges:
        if not e["since"] and e["type"] in ("communicates_with", "trusts", "serves") and rng.random() < 0.3:
            e["since"] = rand_date(rng, "2014-01-01", "2026-08-31")
    return b


# --------------------------------------------------------------------------------------------------
# Wave 2027: the same city a year later
# --------------------------------------------------------------------------------------------------

REMOVED_2027 = [
    ("p-renee-holmberg", "Left Riverton General for a hospital in another state (June 2027)"),
    ("p-kevin-doyle", "Retired from the police department (March 2027)"),
    ("p-lauren-mitchell", "Took a job with the state legislature's research office (January 2027)"),
]

LOST_2027 = [
    ("org-food-bank", "org-landing-youth", "partners_with", "Evening snack program ended when its grant expired"),
    ("org-rpd", "org-county-mcu", "partners_with", "Co-responder pilot ended; its sergeant was reassigned"),
    ("p-doug-ferris", "p-tomasz-nowak", "communicates_with", "The watch stopped meeting in the parish hall"),
    ("org-harmony-family", "org-riverbend-youth", "partners_with", "Harmony stopped taking new youth clients"),
    (
        "p-rachel-greenberg",
        "p-carlos-ibarra",
        "communicates_with",
        "911 data now comes through a formal data-sharing agreement",
    ),
    ("org-parent-network", "org-rusd", "partners_with", "The district ended its parent liaison contract"),
    ("p-sharon-delacroix", "p-judith-abrams", "communicates_with", "Fell out over the involuntary commitment bill"),
]

NEW_PEOPLE_2027 = [
    P(
        "p-sandra-okoro",
        "Sandra Okoro",
        "org-riverton-general",
        "other",
        "com-college-heights",
        title="Emergency department social worker (hired July 2027)",
    ),
    P(
        "p-brandon-cole",
        "Brandon Cole",
        "org-rpd",
        "law_enforcement",
        OUTSIDE,
        title="Patrol officer (hired April 2027)",
    ),
    P(
        "p-aisha-bello",
        "Aisha Bello",
        "org-city-council",
        "local_government",
        "com-southport",
        title="Council policy aide (hired February 2027)",
    ),
    P(
        "p-jamal-henderson",
        "Jamal Henderson",
        "org-riverbend-respite",
        "lived_experience",
        "com-downtown",
        lived=True,
        title="Director; peer specialist with lived experience of psychiatric hospitalization",
    ),
    P(
        "p-nadia-petrova",
        "Nadia Petrova",
        "org-riverbend-respite",
        "lived_experience",
        "com-college-heights",
        lived=True,
        title="Peer respite guide",
    ),
]

ENGAGEMENTS_2027 = [
    (
        "eng-2027-listening-session",
        "Community listening session and planning update with faith and neighborhood leaders",
        "planning_update",
        "2027-04-17",
        [
            "p-tomasz-nowak",
            "p-yusuf-abdullah",
            "p-hodan-ali",
            "p-bao-tran",
            "p-sam-rivera",
            "p-alicia-benitez",
            "p-jolene-whitehorse",
            "p-lorenzo-bianchi",
            "p-nancy-yates",
            "p-yolanda-pierce",
            "p-otis-freeman",
            "p-brenda-carver",
            "p-latoya-sims",
            "p-jamal-henderson",
        ],
        [],
        "Held at First United Methodist; the first RCR meeting faith leaders attended.",
    ),
    (
        "eng-2027-community-survey",
        "Community Crisis Response Survey (wave 2)",
        "survey",
        "2027-05-20",
        [
            "p-imani-grant",
            "p-ethan-cho",
            "p-priscilla-wong",
            "p-ahmed-farah",
            "p-yusra-hassan",
            "p-lakshmi-iyer",
            "p-rosa-linares",
            "p-wei-chen",
            "p-aaliyah-simmons",
            "p-malik-dawson",
            "p-jerome-battle",
            "p-nadia-petrova",
        ],
        [],
        "Same questions as wave 1; again no paper copies in Eastbank.",
    ),
    (
        "eng-2027-responder-review",
        "Responder protocol review with dispatch, fire and crisis providers",
        "expert_consultation",
        "2027-06-17",
        [
            "p-daniel-yoon",
            "p-brianna-foster",
            "p-jessica-lindqvist",
            "p-erin-walsh",
            "p-kofi-boateng",
            "p-samuel-okafor",
            "p-sandra-okoro",
        ],
        [TEAM, "org-rc911"],
        "",
    ),
    (
        "eng-2027-launch-info-fair",
        "RCR launch information fair",
        "public_information",
        "2027-08-14",
        [
            "p-grace-kim",
            "p-abdi-warsame",
            "p-ruth-abernathy",
            "p-kwame-asante",
            "p-curtis-bell",
            "p-hung-le",
            "p-gwen-matthews",
            "p-tom-hendricks",
            "p-kiara-woods",
            "p-cedric-holloway",
            "p-aisha-bello",
        ],
        ["org-library"],
        "Riverfront park; materials in English, Spanish, Somali, Hmong and Vietnamese.",
    ),
]

GAINED_TIES_2027 = [
    # the faith sector at the table
    ("org-first-methodist", TEAM, "partners_with", 2, 3, "Hosts RCR's community meetings and a van parking spot"),
    ("p-ellen-carlisle", "p-alicia-benitez", "communicates_with", 3, 3, "Met at the 2027 listening session"),
    ("p-tomasz-nowak", "p-jolene-whitehorse", "communicates_with", 2, 3, ""),
    ("p-yusuf-abdullah", "p-margaret-osei", "communicates_with", 2, 3, ""),
    # new peer respite
    (TEAM, "org-riverbend-respite", "partners_with", 3, 4, "Respite is a drop-off option for RCR"),
    (TEAM, "svc-peer-respite", "refers_to", 3, 4, ""),
    ("org-tri-rivers-cmhc", "svc-peer-respite", "refers_to", 2, 3, ""),
    ("org-speak-up", "org-riverbend-respite", "partners_with", 3, 4, ""),
    ("org-state-obh", "org-riverbend-respite", "funds", 3, 3, "Peer respite start-up grant"),
    ("p-jamal-henderson", "p-jordan-blake", "communicates_with", 3, 4, ""),
    ("p-jamal-henderson", "p-jolene-whitehorse", "communicates_with", 3, 4, ""),
    ("p-nadia-petrova", "p-derrick-young", "communicates_with", 2, 3, ""),
    # replacements settling in
    ("p-sandra-okoro", "p-elaine-fitzgerald", "communicates_with", 2, 3, ""),
    ("p-sandra-okoro", "p-jennifer-holt", "communicates_with", 2, 3, ""),
    ("p-sandra-okoro", "svc-coordinated-entry", "refers_to", 2, 3, ""),
    ("p-brandon-cole", "p-jasmine-lee", "communicates_with", 3, 4, "Field training officer"),
    ("p-brandon-cole", "p-lorenzo-bianchi", "communicates_with", 1, 2, "Downtown beat"),
    ("p-aisha-bello", "p-fatima-rahman", "communicates_with", 3, 3, ""),
    ("p-aisha-bello", "p-hodan-ali", "communicates_with", 2, 3, ""),
    # other new ties
    (TEAM, "org-library", "partners_with", 2, 3, "Library staff trained to call RCR"),
    ("org-rc911", "svc-youth-crisis-line", "refers_to", 2, 3, ""),
    ("p-rachel-greenberg", "p-susan-albright", "communicates_with", 2, 3, "988 call data"),
    ("p-daniel-yoon", "p-laura-bishop", "communicates_with", 2, 3, ""),
    ("p-natalie-chen", "p-jolene-whitehorse", "communicates_with", 3, 3, ""),
    ("p-harold-jenkins", "p-alicia-benitez", "communicates_with", 2, 2, "Still skeptical; wants Northgate hiring"),
    ("p-tanisha-brooks", "p-jolene-whitehorse", "communicates_with", 2, 2, ""),
]


def build_2027(base: Builder, seed: int) -> tuple[Builder, dict]:
    rng = random.Random(seed)
    b = Builder(rng)
    b.nodes = {k: dict(v) for k, v in base.nodes.items()}
    b.edges = [dict(e) for e in base.edges]
    b.index = set(base.index)
    b.zone = dict(base.zone)
    changes: dict = {"removed_people": [], "lost": [], "gained": [], "new_nodes": []}

    for pid, reason in REMOVED_2027:
        name = b.nodes[pid]["name"]
        lost = b.remove_node(pid)
        changes["removed_people"].append((pid, name, reason, len(lost)))
        changes["lost"].extend((e, reason) for e in lost)
    for a, t, kind, reason in LOST_2027:
        changes["lost"].append((b.remove_edge(a, t, kind), reason))

    b.node(
        "org-riverbend-respite",
        name="Riverbend Peer Respite House",
        kind="organization",
        sector="lived_experience",
        tags="peer-run|new-2027",
        notes="Peer-run crisis respite house opened in May 2027 with a state grant.",
    )
    b.node(
        "svc-peer-respite",
        name="Peer Crisis Respite Stays",
        kind="service",
        sector="",
        needs="mental_health_crisis",
        hours="24/7",
        languages="English|Spanish",
        notes="Up to 7-night voluntary stays; four beds.",
    )
    changes["new_nodes"] += ["org-riverbend-respite", "svc-peer-respite"]
    for p in NEW_PEOPLE_2027:
        b.node(
            p["id"],
            name=p["name"],
            kind="person",
            sector=p["sector"],
            community=p["community"],
            lived_experience=p["lived"],
            decision_role=p["role"],
            notes=p["title"] + ("; lives outside the city limits" if p["community"] == OUTSIDE else ""),
            _home=p["home"],
        )
        changes["new_nodes"].append(p["id"])
    for eid, name, method, date, _people, _orgs, notes in ENGAGEMENTS_2027:
        b.node(eid, name=name, kind="engagement", sector="", method=method, date=date, notes=notes)
        changes["new_nodes"].append(eid)
    b.nodes[BOARD]["date"] = "2027-09-09"
    b.nodes[TEAM]["notes"] = b.nodes[TEAM]["notes"].replace(
        "launch planned for 2027", "pilot launch set for October 2027"
    )
    b.compute_zones()

    before = len(b.edges)

    def gain(a, t, kind, s, tr, notes="", since=None):
        b.add(
            a,
            t,
            kind,
            s,
            tr,
            since=since if since is not None else rand_date(rng, "2026-10-01", "2027-09-15"),
            notes=notes,
        )

    gain("org-riverbend-respite", "svc-peer-respite", "provides", 4, 4)
    for cid in ("com-downtown", "com-college-heights", "com-west-hills"):
        gain("svc-peer-respite", cid, "serves", 2, 3)
    for p in NEW_PEOPLE_2027:
        gain(p["id"], p["home"], "member_of", 4, rng.choice([3, 4]))
    for a, t, kind, s, tr, notes in GAINED_TIES_2027:
        gain(a, t, kind, s, tr, notes)
    for eid, _name, _method, _date, eng_people, eng_orgs, _notes in ENGAGEMENTS_2027:
        for pid in eng_people:
            b.add(pid, eid, "participated_in", rng.choice([1, 2, 2]), rng.choice([3, 3, 4]))
        for oid in eng_orgs:
            b.add(oid, eid, "participated_in", 2, 3)
    changes["gained"] = b.edges[before:]
    return b, changes


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_wave(b: Builder, folder: Path, as_of: str, readme: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "stakeholders.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(STAKEHOLDER_COLUMNS)
        for _nid, attrs in b.nodes.items():
            row = []
            for col in STAKEHOLDER_COLUMNS:
                value = attrs.get(col, "")
                if col == "lived_experience" and attrs["kind"] != "person":
                    value = ""
                row.append(_cell(value))
            w.writerow(row)
    with open(folder / "relationships.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(RELATIONSHIP_COLUMNS)
        for e in b.edges:
            w.writerow([_cell(e[c]) for c in RELATIONSHIP_COLUMNS])
    needs = ", ".join(f'"{n}"' for n in EXPECTED_NEEDS)
    (folder / "program.toml").write_text(
        f'name = "Riverton Community Response"\nteam = "{TEAM}"\nas_of = "{as_of}"\nengagement_max_age_days = 365\n'
        f"expected_needs = [{needs}]\n",
        encoding="utf-8",
    )
    (folder / "README.md").write_text(readme, encoding="utf-8")


def counts_table(b: Builder) -> str:
    kinds: dict[str, int] = {}
    for attrs in b.nodes.values():
        kinds[attrs["kind"]] = kinds.get(attrs["kind"], 0) + 1
    types: dict[str, int] = {}
    for e in b.edges:
        types[e["type"]] = types.get(e["type"], 0) + 1
    lines = ["| kind | count |", "|---|---|"]
    lines += [f"| {k} | {kinds[k]} |" for k in KINDS if k in kinds]
    lines += [f"| **all stakeholders** | {len(b.nodes)} |", "", "| relationship type | count |", "|---|---|"]
    lines += [f"| {t} | {types[t]} |" for t in EDGE_TYPES if t in types]
    lines.append(f"| **all relationships** | {len(b.edges)} |")
    return "\n".join(lines)


def eastbank_ids(b: Builder) -> list[str]:
    return sorted(
        n for n, a in b.nodes.items() if a["kind"] == "person" and a.get("community") == EASTBANK and n != LUIS
    )


def lived_engaged(b: Builder) -> list[str]:
    engaged = {e["source"] for e in b.edges if e["type"] in ("participated_in", "sits_on")}
    return sorted(n for n in engaged if b.nodes[n]["kind"] == "person" and b.nodes[n].get("lived_experience"))


def faith_ids(b: Builder) -> list[str]:
    return sorted(n for n, a in b.nodes.items() if a.get("sector") == "faith_based")


CITY = """Riverton is a fictional mid-size river city of about 180,000 people on the Tallow River, the seat of
Riverton County. After a 2019 death during a police response to a mental health crisis in Northgate and
a contested 2024 town hall, the city and county began planning **Riverton Community Response (RCR)**
(`team-rcr`): a CAHOOTS-style team of a medic and a crisis worker who answer behavioral health,
welfare-check and substance-use calls instead of police. The county health department (`org-rchd`) runs
it with Confluence Community Health Center (`org-confluence-chc`); the County 911 center is writing the
call-triage protocol and a Community Advisory Board (`eng-advisory-board`) advises the Health Director.

Everything here is invented: no person, organization or event is real. The data was written by
`scripts/make_riverton.py` (deterministic; rerun it rather than editing by hand).
"""

FILES = """## Files

| file | what |
|---|---|
| `stakeholders.csv` | one row per stakeholder: people, organizations, the 7 neighborhoods (communities), services, engagements and the team |
| `relationships.csv` | one row per relationship (membership, partnership, referral, trust, communication, participation, provision, service area, board seat, funding), with strength and trust 1-4 |
| `program.toml` | program name, team id, reference date `as_of`, engagement recency window, expected needs |

Format: `docs/data-format.md`. Officers of the police department other than Luis Ferreira live outside the
city limits, so their `community` cell is empty. A few relationships carry an `until` date: they ended
and are kept as history.
"""


def readme_2026(b: Builder) -> str:
    east = eastbank_ids(b)
    lived = lived_engaged(b)
    faith = faith_ids(b)
    north = sorted(n for n, a in b.nodes.items() if a["kind"] == "person" and a.get("community") == NORTHGATE)
    board = sorted(e["source"] for e in b.edges if e["type"] == "sits_on")
    housing = sorted(s[0] for s in SERVICES if "housing" in s[3].split("|"))
    return f"""# Riverton (wave 2026, as of 2026-10-01)

{CITY}
{FILES}
## Size

{counts_table(b)}

Neighborhoods: Eastbank (`com-eastbank`, 14%, priority), Northgate (`com-northgate`, 17%, priority),
Downtown & Riverfront (10%), West Hills (20%), Southport (16%), Millbrook (13%), College Heights (10%).

## Planted problems

The network is otherwise healthy; these problems are true by construction (`python
scripts/make_riverton.py --check` asserts each one).

| # | problem | gap kind that should find it | ids |
|---|---|---|---|
| 1 | The faith sector was never engaged: {len([x for x in faith if x.startswith("org-")])} congregations and {len([x for x in faith if x.startswith("p-")])} clergy and lay leaders are tied to food, shelter, neighborhood and immigrant groups, but no faith_based stakeholder took part in an engagement, sits on the board or partners with the team. Every other expected sector is engaged. | `missing_stakeholder_group` | sector `faith_based`: {", ".join(f"`{x}`" for x in faith)} |
| 2 | No focus group was ever held, and the only town hall was on 2024-09-12 (more than 365 days before `as_of`). Every other method was used within the last year. | `engagement_method` | method `focus_group`; method `town_hall`, `eng-2024-town-hall` |
| 3 | Eastbank (priority, mostly Latino and immigrant families) has no route of trusted ties (trust >= 3 at every step) from any resident to the team. Its residents trust Guadalupe Ortega (parents' group), their pastor Efraín Solís and Marisol Vázquez (youth soccer), none of whom has a trusted tie beyond Eastbank yet; their only link outside is the police liaison Luis Ferreira, whose ties from residents average trust 2, and the police's own ties to the program are at trust 2. | `trust` (`no_trusted_path`) | `com-eastbank`; trusted: `p-guadalupe-ortega`, `p-efrain-solis`, `p-marisol-vazquez`; not trusted: `p-luis-ferreira` |
| 4 | One police officer alone links Eastbank to everyone else: removing him cuts the community, its church and all its residents off from the team. He is the person with the highest betweenness in the network, and he is not Eastbank's credible messenger (see 3). No service or organization serves Eastbank, and no Eastbank resident took part in any engagement. | `single_point_of_failure` (subject `com-eastbank`), `representation` | `p-luis-ferreira`; `com-eastbank`, `org-iglesia-fuente`, {", ".join(f"`{x}`" for x in east)} |
| 5 | Every trusted route from Northgate (priority, historically Black) residents to the team passes through one peer outreach worker; other Northgate ties to the program's network have trust <= 2. She is Northgate's only credible messenger: trusted (3+) by 10 of its other 19 residents, with trusted ties to the team, harm reduction and lived-experience peers. The neighborhood association's officers (`p-harold-jenkins`, `p-denise-whitfield`) and the pastor `p-clarence-booker` are trusted by residents too, but have no trusted tie beyond Northgate. | `trust` (`depends_on_one`) | `com-northgate`, `p-keisha-morgan` |
| 6 | {len(lived)} people with lived experience took part in engagements, but none of the {len(board)} advisory board members (all with a `decision_role`) has lived experience. | `lived_experience_voice` | board: {", ".join(f"`{x}`" for x in board)}; lived experience engaged: {", ".join(f"`{x}`" for x in lived)} |
| 7a | Domestic violence is met by a single service of a single provider. | `service_coverage` | `svc-dv-hotline`, `org-safe-harbor` |
| 7b | No housing service is open 24/7. | `service_coverage` | {", ".join(f"`{x}`" for x in housing)} |
| 7c | Transportation has two providers, but no chain of referrals or partnerships from the team reaches either. | `service_coverage` | `{TRANSIT_SVC}`, `{TRANSIT_ORG}`, `{RIDES_SVC}`, `{RIDES_ORG}` |
| 8 | One organization has no relationship at all. | `isolated` | `{TENANTS}` |
| 9 | Eastbank speaks Spanish (its `languages` cell), but none of the wellness-check services the team can reach by referral lists Spanish. | `language_access` | `com-eastbank`; `svc-mobile-crisis`, `svc-daily-checkin`, `svc-community-paramedicine` |

`program.toml` lists every need but `other` in `expected_needs` (without it a program is expected to meet
only the five needs community responders exist for, and problems 7a and 7c would not be looked for).

## What the plan should say

`stakeholder-graph plan data/riverton` (and the report's "Start here") should open with Eastbank, then
Northgate. For each area below, the plan's action names at least these stakeholders (a test,
`tests/test_riverton.py`, reads this table and checks the plan against it):

| about | through | invite | not through | method |
|---|---|---|---|---|
| Eastbank (priority community) | Efraín Solís, Guadalupe Ortega | Tomás Herrera | Luis Ferreira | focus_group |
| Northgate (priority community) | Keisha Morgan | Denise Whitfield, Clarence Booker | | focus_group |
| Lived experience in decisions | Harold Jenkins | Keisha Morgan | | formal_decision_role |
| Transportation services | Confluence Community Health Center | RiverLink Transit, Riverlands Medical Rides | | expert_consultation |
| The faith based sector | Keisha Morgan | Clarence Booker, First United Methodist Church of Riverton | | focus_group |

Why: Eastbank's residents trust Efraín Solís and Guadalupe Ortega, not Luis Ferreira, so the way in is
through them (nobody the team trusts knows them yet: the team meets them directly, in Spanish, at Iglesia
Pentecostal Fuente de Vida or the parents' group). Northgate's second route comes from people its residents
already trust, introduced by Keisha Morgan, whom both the residents and the team trust. Keisha Morgan, the
most trusted person with lived experience, is the first to offer a board seat, through Harold Jenkins, a
board member who trusts her. Confluence Community Health Center is trusted by the medical-rides provider and
by the team. The faith sector is approached through those who trust the team first: Clarence Booker (via
Keisha Morgan) and First United Methodist (via the food bank).

Northgate residents in the data: {", ".join(f"`{x}`" for x in north)}.
"""


def readme_2027(b: Builder, changes: dict) -> str:
    removed = "\n".join(f"| `{pid}` ({name}) | {reason} | {n} |" for pid, name, reason, n in changes["removed_people"])
    lost_other = [(e, r) for e, r in changes["lost"] if r in {x[3] for x in LOST_2027}]
    lost_rows = "\n".join(f"| `{e['source']}` | `{e['target']}` | {e['type']} | {r} |" for e, r in lost_other)
    gained_rows = "\n".join(
        f"| `{e['source']}` | `{e['target']}` | {e['type']} | {e['notes']} |" for e in changes["gained"]
    )
    new_nodes = ", ".join(f"`{n}`" for n in changes["new_nodes"])
    return f"""# Riverton (wave 2027, as of 2027-10-01)

{CITY}
This folder is the same city a year after `data/riverton/` (wave 2026): same ids for the same
stakeholders, so the two waves can be compared.

{FILES}
## Size

{counts_table(b)}

## What changed since 2026

* **{len(changes["lost"])} ties lost**: {sum(n for *_, n in changes["removed_people"])} with the three people who left
  (staff turnover) and {len(lost_rows.splitlines())} more (see below).
* **{len(changes["gained"])} ties gained**, {len(changes["new_nodes"])} new stakeholders: {new_nodes}.
* **4 new engagements dated 2027.** Besides the community listening session that brought in faith leaders,
  a second community survey, a responder protocol review and a launch information fair were held, and the
  advisory board's date moved to its latest meeting (2027-09-09). Without them every method would be more
  than 365 days old on 2027-10-01, which would open new gaps; with them the engagement-method gaps stay
  exactly as in 2026 (no focus group ever; the only town hall still 2024-09-12). The listening session is
  recorded as method `planning_update` so that it does not count as a town hall or a focus group.
* A peer-run crisis respite house opened (`org-riverbend-respite`, `svc-peer-respite`, 24/7).

### Gap closed

**`missing_stakeholder_group` / `faith_based` is closed**: two faith leaders, `p-tomasz-nowak` (St. Brigid)
and `p-yusuf-abdullah` (Masjid An-Nur), took part in `eng-2027-listening-session`, and `org-first-methodist`
now partners with `team-rcr`.

Every other planted problem of 2026 is unchanged: the focus group and the town hall (`engagement_method`),
Eastbank's missing trusted path and Luis Ferreira as its only bridge (`trust`, `single_point_of_failure`,
`representation`), Northgate's dependence on Keisha Morgan (`trust`), no lived experience on the advisory
board (`lived_experience_voice`), domestic violence with one provider, no 24/7 housing, transportation not
reachable by referral (`service_coverage`), no Spanish-speaking wellness-check service reachable from the
team although Eastbank speaks Spanish (`language_access`), and the isolated `{TENANTS}` (`isolated`).

### People who left (their ties went with them)

| person | reason | ties lost |
|---|---|---|
{removed}

### Other ties lost

| source | target | type | reason |
|---|---|---|---|
{lost_rows}

### Ties gained

| source | target | type | notes |
|---|---|---|---|
{gained_rows}
"""


# --------------------------------------------------------------------------------------------------
# Checks (networkx, on the written CSVs)
# --------------------------------------------------------------------------------------------------


def check_wave(folder: Path, wave: int, drop_ended: bool = False) -> list[str]:
    """Assert the sizes and planted facts of one wave; drop_ended: without ties whose ``until`` has passed."""
    import networkx as nx

    report = []
    with open(folder / "stakeholders.csv", encoding="utf-8") as fh:
        nodes = {r["id"]: r for r in csv.DictReader(fh)}
    with open(folder / "relationships.csv", encoding="utf-8") as fh:
        rels = list(csv.DictReader(fh))
    import tomllib

    program = tomllib.loads((folder / "program.toml").read_text(encoding="utf-8"))
    as_of = dt.date.fromisoformat(program["as_of"])
    if drop_ended:
        rels = [r for r in rels if not r["until"] or r["until"] > program["as_of"]]

    # --- format
    with open(folder / "stakeholders.csv", encoding="utf-8") as handle:
        assert len(nodes) == sum(1 for _ in handle) - 1, "duplicate ids"
    seen = set()
    for r in rels:
        a, t, kind = r["source"], r["target"], r["type"]
        assert a in nodes and t in nodes, r
        assert kind in EDGE_TYPES, r
        src, dst = EDGE_ENDPOINTS[kind]
        assert nodes[a]["kind"] in src and nodes[t]["kind"] in dst, r
        key = (a, t, kind) if kind not in UNDIRECTED_EDGE_TYPES else (frozenset((a, t)), kind)
        assert key not in seen, r
        seen.add(key)
        assert r["strength"] in {"1", "2", "3", "4"} and r["trust"] in {"1", "2", "3", "4"}, r
        for col in ("since", "until"):
            if r[col]:
                assert dt.date.fromisoformat(r[col]) <= as_of, r
        if r["since"] and r["until"]:
            assert r["until"] >= r["since"], r
    for n in nodes.values():
        assert n["kind"] in KINDS and (not n["sector"] or n["sector"] in SECTORS), n
        for need in filter(None, n["needs"].split("|")):
            assert need in NEEDS, n
        if n["method"]:
            assert n["method"] in METHODS
        if n["kind"] == "person":
            assert n["community"] or nodes[n["id"]]["sector"] == "law_enforcement", n
    shares = sum(float(n["population_share"]) for n in nodes.values() if n["kind"] == "community")
    assert abs(shares - 1.0) < 0.011, shares

    # --- sizes
    kinds: dict[str, int] = {}
    for n in nodes.values():
        kinds[n["kind"]] = kinds.get(n["kind"], 0) + 1
    assert len(nodes) >= 200 and kinds["organization"] >= 40 and kinds["person"] >= 120, kinds
    assert kinds["community"] >= 6 and kinds["service"] >= 20 and kinds["engagement"] >= 8, kinds
    assert sum(1 for n in nodes.values() if n["kind"] == "community" and n["priority"] == "true") >= 2
    assert len(rels) >= 600, len(rels)
    in_range = [n for n in nodes.values() if n["kind"] == "engagement" and "2025-01-01" <= n["date"] <= "2026-09-30"]
    assert len(in_range) >= 8
    report.append(f"{len(nodes)} stakeholders {dict(sorted(kinds.items()))}, {len(rels)} relationships")

    G = nx.MultiDiGraph()
    for nid, n in nodes.items():
        G.add_node(nid, **n)
    for r in rels:
        G.add_edge(r["source"], r["target"], key=r["type"], **r)
    people = [n for n in nodes if nodes[n]["kind"] == "person"]
    for p in people:
        assert any(k == "member_of" for _, _, k in G.out_edges(p, keys=True)), p

    engaged = {TEAM}
    for u, v, k in G.edges(keys=True):
        if k in ("participated_in", "sits_on"):
            engaged.add(u)
        elif k == "partners_with" and TEAM in (u, v):
            engaged.add(v if u == TEAM else u)

    # 1. faith never engaged (2026) / engaged (2027); every other expected sector engaged
    faith = {n for n in nodes if nodes[n]["sector"] == "faith_based"}
    assert len([n for n in faith if nodes[n]["kind"] == "organization"]) >= 3
    if wave == 2026:
        assert not faith & engaged, faith & engaged
    else:
        assert faith & engaged
        assert sum(1 for u, v, k in G.edges(keys=True) if k == "participated_in" and u in faith) == 2
    for sector in SECTORS:
        if sector in ("business", "other", "faith_based"):
            continue
        assert any(nodes[n]["sector"] == sector for n in engaged), sector
    report.append("1 faith_based " + ("never engaged" if wave == 2026 else "engaged") + "; all other sectors engaged")

    # 2. methods
    last: dict[str, str] = {}
    for n in nodes.values():
        if n["kind"] == "engagement":
            last[n["method"]] = max(last.get(n["method"], ""), n["date"])
    assert "focus_group" not in last
    assert last["town_hall"] == "2024-09-12"
    for method in METHODS:
        if method not in ("focus_group", "town_hall"):
            assert (as_of - dt.date.fromisoformat(last[method])).days <= 365, method
    report.append("2 no focus_group; town_hall last 2024-09-12; other methods recent")

    # 3 and 5. trusted paths (every type, either direction; engagements excluded and included)
    east_members = {n for n in people if nodes[n]["community"] == EASTBANK}
    north_members = {n for n in people if nodes[n]["community"] == NORTHGATE}
    for with_engagements in (True, False):
        T = nx.Graph()
        T.add_nodes_from(nodes)
        for r in rels:
            if int(r["trust"]) >= 3:
                if with_engagements or "engagement" not in (nodes[r["source"]]["kind"], nodes[r["target"]]["kind"]):
                    T.add_edge(r["source"], r["target"])
        for p in people:  # members' ties to their own community count as trusted
            if nodes[p]["community"]:
                T.add_edge(p, nodes[p]["community"])
        reach = nx.node_connected_component(T, TEAM)
        assert not (east_members | {EASTBANK}) & reach, (east_members | {EASTBANK}) & reach
        assert north_members & reach and KEISHA in reach
        T2 = T.copy()
        T2.remove_node(KEISHA)
        reach2 = nx.node_connected_component(T2, TEAM)
        assert not ((north_members - {KEISHA}) | {NORTHGATE}) & reach2
        assert T.has_edge(KEISHA, TEAM)
        # every other community: trusted paths through 2+ people (no single cut)
        for c in (n for n in nodes if nodes[n]["kind"] == "community" and n not in (EASTBANK, NORTHGATE)):
            members = {p for p in people if nodes[p]["community"] == c}
            S = T.copy()
            S.add_edges_from(("__src__", m) for m in members | {c})
            assert nx.node_connectivity(S, "__src__", TEAM) >= 2, c
    report.append("3 Eastbank has no trusted path; 5 every Northgate trusted path passes Keisha")

    # 4. Luis is the only bridge (all relationship types, undirected; engagements in or out)
    for with_engagements in (True, False):
        U = nx.Graph()
        U.add_nodes_from(nodes)
        for r in rels:
            if with_engagements or "engagement" not in (nodes[r["source"]]["kind"], nodes[r["target"]]["kind"]):
                U.add_edge(r["source"], r["target"])
        comp = nx.node_connected_component(U, TEAM)
        assert east_members | {EASTBANK} <= comp
        U2 = U.copy()
        U2.remove_node(LUIS)
        comp2 = nx.node_connected_component(U2, TEAM)
        assert not (east_members - {LUIS} | {EASTBANK}) & comp2
        main = U.subgraph(comp)
        cuts = set(nx.articulation_points(main))
        assert cuts == {LUIS}, cuts
        isolated = sorted(n for n in nx.isolates(U) if with_engagements or nodes[n]["kind"] != "engagement")
        assert isolated == [TENANTS], isolated
    assert len(east_members - {LUIS}) >= 6
    assert not any(k == "serves" and v == EASTBANK for u, v, k in G.edges(keys=True))
    assert not (east_members - {LUIS}) & engaged
    for m in east_members - {LUIS}:
        for _u, v in nx.Graph(G.to_undirected()).edges(m):
            assert v == LUIS or nodes[v].get("community") == EASTBANK or v in (EASTBANK, "org-iglesia-fuente"), (m, v)
    H = nx.Graph()
    for r in rels:
        if "engagement" not in (nodes[r["source"]]["kind"], nodes[r["target"]]["kind"]):
            H.add_edge(r["source"], r["target"])
    bc = nx.betweenness_centrality(H)
    ranking = sorted(bc, key=bc.get, reverse=True)
    person_ranking = [n for n in ranking if nodes[n]["kind"] == "person"]
    assert person_ranking[0] == LUIS, person_ranking[:3]
    report.append(
        f"4 Luis is the only articulation point; betweenness rank {ranking.index(LUIS) + 1} overall, "
        f"1 among people (top 5: {', '.join(ranking[:5])})"
    )
    reached: dict[str, set] = {}
    for r in rels:
        if int(r["trust"]) >= 3:
            for a, t in ((r["source"], r["target"]), (r["target"], r["source"])):
                if nodes[a]["kind"] == "person" and a != t and (t == NORTHGATE or nodes[t]["community"] == NORTHGATE):
                    reached.setdefault(a, set()).add(t)
    trusted_into = {a: len(ts) for a, ts in reached.items()}
    top = sorted(trusted_into, key=lambda a: (-trusted_into[a], a))
    assert top[0] == KEISHA and trusted_into[KEISHA] == 11 and trusted_into[top[1]] <= 6, trusted_into
    report.append(
        f"5 Keisha has {trusted_into[KEISHA]} trusted ties into Northgate (next: {top[1]} with {trusted_into[top[1]]})"
    )

    # 6. lived experience engaged, never on the board
    holders = {n for n in people if nodes[n]["decision_role"]}
    sitters = {u for u, v, k in G.edges(keys=True) if k == "sits_on"}
    assert holders == sitters and holders
    assert all(v == BOARD for u, v, k in G.edges(keys=True) if k == "sits_on")
    assert not any(nodes[n]["lived_experience"] == "true" for n in holders)
    lived = [n for n in people if nodes[n]["lived_experience"] == "true" and n in engaged]
    assert len(lived) >= 8
    report.append(f"6 {len(lived)} lived-experience people engaged, 0 of {len(holders)} decision holders")

    # 7. services
    services = {n: set(nodes[n]["needs"].split("|")) for n in nodes if nodes[n]["kind"] == "service"}
    providers = {s: sorted(u for u, _, k in G.in_edges(s, keys=True) if k == "provides") for s in services}
    D = nx.DiGraph()
    D.add_nodes_from(nodes)
    for u, v, k in G.edges(keys=True):
        if k in ("refers_to", "provides"):
            D.add_edge(u, v)
        elif k == "partners_with":
            D.add_edge(u, v)
            D.add_edge(v, u)
    reach = nx.descendants(D, TEAM) | {TEAM}
    Dr = nx.Graph([(u, v) for u, v, k in G.edges(keys=True) if k in ("refers_to", "partners_with")])
    wide = nx.node_connected_component(Dr, TEAM)  # referrals followed in either direction
    for need in NEEDS:
        met = [s for s in services if need in services[s]]
        assert met, need
        if need == "other":
            continue
        provider_sets = {tuple(providers[s]) for s in met}
        always = [s for s in met if nodes[s]["hours"] == "24/7"]
        reachable = [s for s in met if s in reach or any(o in reach for o in providers[s])]
        if need == "domestic_violence":
            assert met == [DV_SVC] and len(providers[DV_SVC]) == 1 and reachable and always
        elif need == "housing":
            assert not always and len(provider_sets) >= 2 and reachable
        elif need == "transportation":
            assert not reachable and always and len(provider_sets) >= 2
            assert not set(TRANSPORT) & wide
            assert not any(
                k in ("refers_to", "partners_with") and {u, v} & set(TRANSPORT) for u, v, k in G.edges(keys=True)
            )
        else:
            assert len(met) >= 2 and len(provider_sets) >= 2 and always, need
            assert any(G.has_edge(TEAM, s, "refers_to") for s in met), need
    report.append("7 DV single provider; housing not 24/7; transportation unreachable; other needs covered")

    # representation (population shares vs engaged people and decision holders)
    engaged_people = [p for p in people if p in engaged and nodes[p]["community"]]
    shares_ = {n: float(nodes[n]["population_share"]) for n in nodes if nodes[n]["kind"] == "community"}
    ratios = {}
    for c, share in shares_.items():
        e_ratio = sum(1 for p in engaged_people if nodes[p]["community"] == c) / len(engaged_people) / share
        d_ratio = sum(1 for p in holders if nodes[p]["community"] == c) / len(holders) / share
        ratios[c] = (round(e_ratio, 2), round(d_ratio, 2))
        if c == EASTBANK:
            assert e_ratio == 0
        else:
            assert e_ratio >= 0.5 and d_ratio >= 0.5, (c, e_ratio, d_ratio)
    report.append(f"representation (engaged, decision) ratios: {ratios}")
    report.append("8 isolated: " + TENANTS)
    return report


# --------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="parent folder (default: data/)")
    parser.add_argument("--check", action="store_true", help="assert the planted problems (needs networkx)")
    args = parser.parse_args(argv)

    w26 = build_2026(args.seed)
    w27, changes = build_2027(w26, args.seed + 1)
    for b in (w26, w27):
        for attrs in b.nodes.values():
            attrs.pop("_home", None)
    write_wave(w26, args.out / "riverton", AS_OF_2026, readme_2026(w26))
    write_wave(w27, args.out / "riverton-2027", AS_OF_2027, readme_2027(w27, changes))
    print(f"wrote {args.out / 'riverton'} ({len(w26.nodes)} stakeholders, {len(w26.edges)} relationships)")
    print(f"wrote {args.out / 'riverton-2027'} ({len(w27.nodes)} stakeholders, {len(w27.edges)} relationships)")
    if args.check:
        for wave, folder in ((2026, args.out / "riverton"), (2027, args.out / "riverton-2027")):
            for line in check_wave(folder, wave):
                print(f"[{wave}] {line}")
            check_wave(folder, wave, drop_ended=True)
            print(f"[{wave}] same checks pass without the ended (until) ties")
        print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
