module floe.dev/tools/argocd

go 1.24

// The Lua interpreter Argo CD embeds for resource health checks.
require github.com/yuin/gopher-lua v1.1.1
