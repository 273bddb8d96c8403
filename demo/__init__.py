"""The demo installation: its data, its seeding command and the login page's list of demo accounts.

Kept out of the product apps so that they never depend on it: the demo may import any app, while
partners, products, deals and notifications import nothing from here.
"""
