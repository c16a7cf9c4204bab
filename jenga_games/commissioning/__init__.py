"""jenga_games.commissioning."""
