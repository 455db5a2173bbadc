"""The commented goals file that `funnelcalc init` writes."""

STARTER = """\
# A funnelcalc goals file. Plan it with:  funnelcalc plan goals.yaml
# Editors that speak YAML can check and complete this file: run
#   funnelcalc schema > goals.schema.json
# and add this line at the top:  # yaml-language-server: $schema=goals.schema.json

name: Next year's new business   # a title for the plan (optional)
currency: USD                    # ISO 4217 code: USD, EUR, GBP, …

target:
  revenue: 500000                # the new revenue to win; or `clients: 10` instead
deal_size: 50000                 # average revenue per new client

# The funnel, top first; the last stage is the paying clients. Each rate is the share of
# the stage above that reaches this one: 0.025 or "2.5%". A stage without an owner keeps
# the owner of the stage above it.
stages:
  - name: visitors
    owner: marketing
    definition: A unique visitor to the website
  - name: leads
    rate: 2.5%
    definition: Filled in a form with a work email
  - name: MQL
    rate: 40%
    definition: A lead that fits the ideal customer profile
  - name: SQL
    rate: 25%
    owner: sales
    definition: Accepted by sales after a discovery call
  - name: clients
    rate: 20%
    definition: Signed and paid

# The most the plan may need of a stage. `funnelcalc check goals.yaml` exits 1 when the
# plan breaks one, so CI can gate on it.
limits:
  visitors: 25000

# What-ifs, compared with `funnelcalc compare goals.yaml`.
scenarios:
  better-landing-pages:
    description: Leads convert at 3% instead of 2.5%
    set:
      stages.leads.rate: 3%
  bigger-deals:
    description: Deals 20% bigger
    set:
      deal_size: 60000
"""
