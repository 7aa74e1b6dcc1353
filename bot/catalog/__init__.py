"""Domain data with one home: the themes and the municipalities and places of the province."""
