module leaky/faultsrv

go 1.19
