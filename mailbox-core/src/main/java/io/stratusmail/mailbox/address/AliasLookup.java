package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.user.Username;
import java.util.Objects;
import java.util.Optional;

/**
 * What the alias table says about one address: its own alias, and the whole-domain alias of its domain.
 *
 * @param addressTarget the target of the {@link Alias.AddressAlias} of the address, if any
 * @param domainTarget  the target domain of the {@link Alias.DomainAlias} of the address's domain, if any
 */
public record AliasLookup(Optional<Username> addressTarget, Optional<Domain> domainTarget) {

    /** Neither alias exists. */
    public static final AliasLookup NONE = new AliasLookup(Optional.empty(), Optional.empty());

    public AliasLookup {
        Objects.requireNonNull(addressTarget, "addressTarget");
        Objects.requireNonNull(domainTarget, "domainTarget");
    }
}
