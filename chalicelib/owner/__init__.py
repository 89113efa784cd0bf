"""The owner's side of Warmline: what needs attention and what the owner does about it.

Application services (services.py) used by the web console and the CLI alike, on both stacks:
they reach storage only through the ports and the Desk (desk.py).
"""
