"""jenga_games.games."""
