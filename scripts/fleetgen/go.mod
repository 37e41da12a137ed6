module leaky/fleetgen

go 1.19
