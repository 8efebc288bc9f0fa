"""The codes and words the synthetic authority draws from, with how often each is drawn.

Codes the contract restricts (categories of abuse, ethnicities) are the contract's own: a test
checks that the weights name exactly those.
"""

ETHNICITIES = (
    ("WBRI", 60),
    ("WIRI", 1),
    ("WIRT", 1),
    ("WOTH", 5),
    ("WROM", 1),
    ("MWBC", 4),
    ("MWBA", 1),
    ("MWAS", 2),
    ("MOTH", 3),
    ("AIND", 2),
    ("APKN", 3),
    ("ABAN", 1),
    ("AOTH", 2),
    ("BCRB", 1),
    ("BAFR", 4),
    ("BOTH", 1),
    ("CHNE", 1),
    ("OOTH", 3),
    ("REFU", 2),
    ("NOBT", 2),
)
CATEGORIES = (("NEG", 50), ("EMO", 36), ("PHY", 6), ("SAB", 4), ("MUL", 4))
FORENAMES = (
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Pat",
    "Robin",
    "Jamie",
    "Morgan",
    "Casey",
    "Taylor",
    "Jordan",
    "Riley",
    "Avery",
    "Quinn",
    "Rowan",
    "Sky",
)
SURNAMES = (
    "Example",
    "Sample",
    "Testing",
    "Placeholder",
    "Fictional",
    "Madeup",
    "Dummy",
    "Synthetic",
    "Specimen",
    "Mock",
    "Pretend",
    "Imaginary",
)
OUTCOMES = (
    "Child attends school every day",
    "Home conditions are safe and clean",
    "Child's health appointments are kept",
    "Parents engage with support",
    "Child is free from harm at home",
    "Child's views are heard",
)
RISKS = (
    "Neglect of basic care",
    "Exposure to domestic abuse",
    "Parental substance misuse",
    "Missed medical care",
    "Emotional harm from conflict",
    "Unsafe adults in the home",
)
TIMEFRAMES = (
    "Within 2 weeks",
    "By next core group",
    "Within 1 month",
    "Ongoing, weekly",
    "By review conference",
    "Within 6 weeks",
)
RESPONSIBLES = (
    "Social worker",
    "Parents",
    "Health visitor",
    "School",
    "Family support worker",
    "GP",
    "Substance misuse service",
)
