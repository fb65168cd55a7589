"""How a text is read: masked to its prose, tokenized into a Reading, with the customer's message beside it."""
