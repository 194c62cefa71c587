"""MVP leaders and their trainings: anchoring, staff half-day, leader training, supervision."""
