module shipshape.local/engine-exporter

go 1.22
