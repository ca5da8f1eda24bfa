"""The NEST adapter: pineal's description realised in NEST through PyNEST."""
