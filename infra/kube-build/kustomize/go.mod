module todo-platform/kube-build/kustomize

go 1.22.7

require sigs.k8s.io/kustomize/kustomize/v5 v5.7.1
