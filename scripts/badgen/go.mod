module leaky/badgen

go 1.19
