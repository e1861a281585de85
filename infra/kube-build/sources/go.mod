// Modules whose files (CRDs, charts) the delivery tests read; nothing is built
// from here. go.sum pins their hashes.
module todo-platform/kube-build/sources

go 1.25.6

require (
	github.com/external-secrets/external-secrets v1.3.2
	github.com/kedacore/keda/v2 v2.17.2
	github.com/prometheus-operator/prometheus-operator v0.85.0
)
