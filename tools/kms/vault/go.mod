module dev.floe/tools/kms/vault

go 1.25.3

// Wrapper module that builds HashiCorp Vault's server binary from the Go module proxy.
// `go install github.com/hashicorp/vault@v1.21.4` fails because Vault's own go.mod has replace
// directives; they are repeated here with the nested modules' published versions.
require github.com/hashicorp/vault v1.21.0

replace github.com/hashicorp/vault/api => github.com/hashicorp/vault/api v1.22.0

replace github.com/hashicorp/vault/api/auth/approle => github.com/hashicorp/vault/api/auth/approle v0.1.0

replace github.com/hashicorp/vault/api/auth/kubernetes => github.com/hashicorp/vault/api/auth/kubernetes v0.10.0

replace github.com/hashicorp/vault/api/auth/userpass => github.com/hashicorp/vault/api/auth/userpass v0.1.0

// v1.21.0, not the newer v1.21.3/v1.21.4 the proxy also lists: those require sdk v0.21.0 but were
// built against an unpublished in-tree sdk (two-argument ActivationFunc and Observation calls that
// no published sdk version has both of); v1.21.0 compiles against the published sdk v0.20.0.
replace github.com/hashicorp/vault/sdk => github.com/hashicorp/vault/sdk v0.20.0

replace github.com/99designs/keyring => github.com/Jeffail/keyring v1.2.3

replace github.com/ma314smith/signedxml v1.1.1 => github.com/moov-io/signedxml v1.1.1
