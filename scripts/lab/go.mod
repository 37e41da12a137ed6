module leaky/lab

go 1.19
