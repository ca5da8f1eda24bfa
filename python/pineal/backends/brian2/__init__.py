"""The Brian 2 adapter: pineal's description realised in Brian 2 (numpy code generation)."""
