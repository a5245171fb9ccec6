package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.address.AddressRejectedException.Reason;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Administration of aliases and local domains, with the checks that keep them sensible. Refusals fail the
 * stage with {@link AddressRejectedException}; storage failures with
 * {@link io.stratusmail.mailbox.StorageUnavailableException}.
 *
 * <p>Checks are made against what is stored when the change is made. Two administrators racing (one adding
 * {@code a -> b}, the other {@code b -> a}) can still store a loop; {@link RecipientResolver} then answers
 * {@link Resolution.Loop} for those addresses until one alias is deleted.
 */
public final class Addresses {

    private final UserRepository users;
    private final AliasRepository aliases;
    private final DomainRepository domains;
    private final RecipientResolver resolver;

    public Addresses(UserRepository users, AliasRepository aliases, DomainRepository domains) {
        this.users = users;
        this.aliases = aliases;
        this.domains = domains;
        this.resolver = new RecipientResolver(users, aliases, domains);
    }

    /** The resolver over the same repositories. */
    public RecipientResolver resolver() {
        return resolver;
    }

    /**
     * Creates the alias, or replaces the target of an alias with the same source. Refused when
     * <ul>
     *   <li>the source's domain (or, for a domain alias, either domain) is not local: {@link Reason#DOMAIN_NOT_LOCAL};</li>
     *   <li>an address alias's source is a user: {@link Reason#SOURCE_IS_USER};</li>
     *   <li>the new alias would close a loop or make a chain longer than {@link RecipientResolver#MAX_HOPS}:
     *       {@link Reason#ALIAS_LOOP};</li>
     *   <li>an address alias's target does not lead to a user: {@link Reason#UNKNOWN_TARGET}.</li>
     * </ul>
     */
    public CompletionStage<Void> addAlias(Alias alias) {
        CompletionStage<Void> checked = alias instanceof Alias.AddressAlias a
                ? checkAddressAlias(a)
                : checkDomainAlias((Alias.DomainAlias) alias);
        return checked.thenCompose(v -> aliases.putAlias(alias));
    }

    private CompletionStage<Void> checkAddressAlias(Alias.AddressAlias alias) {
        Domain domain = Domain.ofAddress(alias.source()).orElseThrow();
        return requireLocal(domain)
                .thenCompose(v -> users.exists(alias.source()))
                .thenCompose(isUser -> {
                    if (isUser) {
                        throw new AddressRejectedException(Reason.SOURCE_IS_USER,
                                alias.source() + " is a user; delete the user first to make it an alias");
                    }
                    return resolver.resolve(alias.source(), alias);
                })
                .thenAccept(resolution -> {
                    if (resolution instanceof Resolution.Loop l) {
                        throw new AddressRejectedException(Reason.ALIAS_LOOP, "alias loop: " + l.describe());
                    }
                    if (!(resolution instanceof Resolution.Account)) {
                        throw new AddressRejectedException(Reason.UNKNOWN_TARGET,
                                "target " + alias.target() + " is neither a user nor an alias of one");
                    }
                });
    }

    private CompletionStage<Void> checkDomainAlias(Alias.DomainAlias alias) {
        return requireLocal(alias.source())
                .thenCompose(v -> requireLocal(alias.target()))
                .thenCompose(v -> followDomains(alias, alias.target(), 1));
    }

    /** Follows the domain aliases from {@code current} with {@code alias} in place; fails when they come back. */
    private CompletionStage<Void> followDomains(Alias.DomainAlias alias, Domain current, int hops) {
        if (current.equals(alias.source()) || hops > RecipientResolver.MAX_HOPS) {
            return CompletableFuture.failedFuture(new AddressRejectedException(Reason.ALIAS_LOOP,
                    "alias loop: @" + alias.source() + " -> @" + alias.target()
                            + (current.equals(alias.target()) ? "" : " -> ... -> @" + current)));
        }
        return aliases.domainAlias(current).thenCompose(next -> next.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : followDomains(alias, next.get(), hops + 1));
    }

    private CompletionStage<Void> requireLocal(Domain domain) {
        return domains.acceptsDomain(domain).thenAccept(local -> {
            if (!local) {
                throw new AddressRejectedException(Reason.DOMAIN_NOT_LOCAL,
                        "domain " + domain + " is not a local domain (add it first)");
            }
        });
    }

    /** Every alias, sorted by source. */
    public CompletionStage<List<Alias>> aliases() {
        return aliases.listAliases();
    }

    /** Deletes the alias of an address; false when there was none. Aliases that led through it stop resolving. */
    public CompletionStage<Boolean> deleteAddressAlias(Username source) {
        return aliases.deleteAddressAlias(source);
    }

    /** Deletes the whole-domain alias of a domain; false when there was none. */
    public CompletionStage<Boolean> deleteDomainAlias(Domain source) {
        return aliases.deleteDomainAlias(source);
    }

    /**
     * Checks that {@code user} may become a new account: its domain is local and it is not an alias already
     * ({@link Reason#DOMAIN_NOT_LOCAL}, {@link Reason#ADDRESS_IS_ALIAS}).
     */
    public CompletionStage<Void> checkNewUser(Username user) {
        Optional<Domain> domain = Domain.ofAddress(user);
        CompletionStage<Void> local = domain.isEmpty() ? CompletableFuture.completedFuture(null)
                : requireLocal(domain.get());
        return local.thenCompose(v -> domain.isEmpty()
                        ? CompletableFuture.completedFuture(AliasLookup.NONE)
                        : aliases.lookupAlias(user))
                .thenAccept(found -> {
                    if (found.addressTarget().isPresent()) {
                        throw new AddressRejectedException(Reason.ADDRESS_IS_ALIAS, user + " is an alias of "
                                + found.addressTarget().get() + "; delete the alias first to make it a user");
                    }
                });
    }

    /** Adds a local domain; false when it was listed already. The first domain added makes every other domain non-local. */
    public CompletionStage<Boolean> addDomain(Domain domain) {
        return domains.addDomain(domain);
    }

    /** Removes a local domain; false when it was not listed. Its users and aliases stay but receive no mail while other domains are listed. */
    public CompletionStage<Boolean> deleteDomain(Domain domain) {
        return domains.deleteDomain(domain);
    }

    /** Every local domain, sorted. */
    public CompletionStage<List<Domain>> domains() {
        return domains.listDomains();
    }
}
