package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the catalog's TLS certificate comes from. */
@ValidationRule(
        value =
                "(has(self.issuerRef) ? 1 : 0) + (has(self.secretName) ? 1 : 0) + ((has(self.selfSigned) && self.selfSigned) ? 1 : 0) <= 1",
        message = "set at most one of spec.tls.issuerRef, spec.tls.secretName or spec.tls.selfSigned",
        reason = "FieldValueInvalid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TlsSpec(
        @JsonPropertyDescription(
                "cert-manager Issuer or ClusterIssuer that signs the catalog's Certificate. Needs cert-manager installed.")
        IssuerRef issuerRef,

        @JsonPropertyDescription(
                "Existing `kubernetes.io/tls` Secret in this namespace (keys tls.crt, tls.key and optionally ca.crt).")
        @Pattern(Names.DNS_SUBDOMAIN)
        String secretName,

        @JsonPropertyDescription("Let the operator generate a CA and a leaf certificate. For development.")
        Boolean selfSigned,

        @JsonPropertyDescription(
                "Certificate lifetime, a Go duration: of cert-manager's Certificate, or of the operator's self-signed server certificate, which it re-issues under the same CA once two thirds of the lifetime have passed.")
        @Default("2160h")
        @Pattern("^([0-9]+(\\.[0-9]+)?(h|m|s))+$")
        String duration,

        @JsonPropertyDescription(
                "How long before expiry cert-manager renews the certificate, a Go duration (cert-manager only).")
        @Default("360h")
        @Pattern("^([0-9]+(\\.[0-9]+)?(h|m|s))+$")
        String renewBefore) {

    /** A cert-manager issuer reference. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IssuerRef(
            @JsonPropertyDescription("Name of the Issuer or ClusterIssuer.") @Required @Pattern(Names.DNS_SUBDOMAIN)
            String name,

            @JsonPropertyDescription("`Issuer` (same namespace) or `ClusterIssuer`.")
            @Default("Issuer")
            @Pattern("^(Issuer|ClusterIssuer)$")
            String kind,

            @JsonPropertyDescription("API group of the issuer.") @Default("cert-manager.io")
            String group) {}

    /** Which of the three TLS modes applies. */
    public enum Mode {
        CERT_MANAGER,
        SECRET,
        SELF_SIGNED
    }

    public static Mode modeOf(TlsSpec tls) {
        if (tls != null && tls.issuerRef() != null) {
            return Mode.CERT_MANAGER;
        }
        if (tls != null && tls.secretName() != null) {
            return Mode.SECRET;
        }
        return Mode.SELF_SIGNED;
    }
}
