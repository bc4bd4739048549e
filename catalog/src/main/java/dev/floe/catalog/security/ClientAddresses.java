package dev.floe.catalog.security;

import dev.floe.catalog.config.ConfigException;
import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Works out a request's client address for rate limits, lockout and the audit log. By default it is
 * the socket's peer. When the peer is one of the configured trusted proxies
 * ({@code floe.security.trusted-proxies}: IP addresses or CIDR ranges, comma-separated), the
 * {@code X-Forwarded-For} chain is believed from the right: the client is the right-most address
 * that is not itself a trusted proxy, so a client cannot choose its address by sending the header
 * itself (its forged entries stay to the left of what the proxies appended). An entry that is not
 * an IP address ends the walk at the last trusted hop.
 */
@Singleton
public final class ClientAddresses {

    /** The property naming the trusted proxies. */
    public static final String TRUSTED_PROXIES = "floe.security.trusted-proxies";

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final List<IpSubnetFilterRule> trusted;

    public ClientAddresses(@Value("${" + TRUSTED_PROXIES + ":}") String trustedProxies) {
        this.trusted = parse(trustedProxies);
    }

    /**
     * The server property for {@code [security] trusted_proxies} (or {@code FLOE_SECURITY_TRUSTED_PROXIES}):
     * none when unset, so a {@code floe.security.trusted-proxies} given otherwise stays in force.
     *
     * @throws ConfigException naming the key and where its value came from, when an entry is not an
     *     IP address or CIDR range
     */
    public static Map<String, Object> properties(ConfigLoader config) {
        String value = config.value(ConfigKeys.SECURITY_TRUSTED_PROXIES);
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        try {
            parse(
                    value,
                    ConfigKeys.SECURITY_TRUSTED_PROXIES.path() + " (from "
                            + config.origin(ConfigKeys.SECURITY_TRUSTED_PROXIES) + ")");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return Map.of(TRUSTED_PROXIES, value);
    }

    /** The client address of {@code request}, as text ({@code unknown} when the socket has none). */
    public String of(HttpRequest<?> request) {
        InetSocketAddress peer;
        try {
            peer = request.getRemoteAddress();
        } catch (RuntimeException e) {
            return "unknown";
        }
        if (peer == null || peer.getAddress() == null) {
            return "unknown";
        }
        InetAddress client = peer.getAddress();
        if (trusted.isEmpty() || !isTrusted(client)) {
            return client.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        for (String header : request.getHeaders().getAll(FORWARDED_FOR)) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = NetUtil.createInetAddressFromIpAddressString(hops.get(i));
            if (hop == null) {
                break; // not an address: believe nothing further left
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        for (IpSubnetFilterRule rule : trusted) {
            if (rule.matches(socket)) {
                return true;
            }
        }
        return false;
    }

    /** Parses the setting; a bad entry stops the start with a message naming the key. */
    static List<IpSubnetFilterRule> parse(String setting) {
        return parse(setting, TRUSTED_PROXIES);
    }

    /** As {@link #parse(String)}, naming the setting {@code key} in the refusal. */
    private static List<IpSubnetFilterRule> parse(String setting, String key) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        if (setting == null || setting.isBlank()) {
            return rules;
        }
        for (String entry : setting.split(",")) {
            String cidr = entry.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            String ip = slash < 0 ? cidr : cidr.substring(0, slash);
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(ip);
            int bits = address == null ? -1 : address.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (address == null || prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException(key + ": '" + cidr + "' is not an IP address or CIDR"
                        + " range (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8)");
            }
            rules.add(new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT));
        }
        return List.copyOf(rules);
    }
}
