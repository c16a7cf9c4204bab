"""jenga_games.testing."""
