"""Pages of the merchant program: merchant portal, operator portal, public profile."""
