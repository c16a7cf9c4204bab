"""jenga_games.plot."""
