module shipshape.local/pulumi-toolchain/bridgeutil

go 1.24
