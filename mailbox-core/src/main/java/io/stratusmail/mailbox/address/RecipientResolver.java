package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Finds the user whose INBOX receives mail for an address (LMTP RCPT, RFC 2033 section 4.2).
 *
 * <p>Rules, at each hop: an account with the address takes it; else its {@link Alias.AddressAlias} leads to the
 * alias's target; else the {@link Alias.DomainAlias} of its domain leads to the same local part in the target
 * domain; else the address is unknown. Before that, the domain of the address asked for must be local
 * ({@link DomainRepository#acceptsDomain}); domains reached through aliases are not checked again (they were
 * checked when the alias was created). A bare local part (no {@code @}) is only ever an account.
 *
 * <p>Cost: the domain check runs beside the first hop; a hop reads the account (one partition), and only when
 * there is none, the aliases (one partition). An account is thus found in one round of reads. Loops and chains
 * longer than {@link #MAX_HOPS} aliases end in {@link Resolution.Loop}, never in an endless chain of reads.
 * Subaddresses ({@code user+detail@domain}, RFC 5233) are resolved by {@link #resolve(Username, String)}.
 * Storage failures fail the stage ({@link io.stratusmail.mailbox.StorageUnavailableException}). Thread-safe;
 * never blocks.
 */
public final class RecipientResolver {

    /** Most aliases followed for one address. */
    public static final int MAX_HOPS = 8;

    private final UserRepository users;
    private final AliasRepository aliases;
    private final DomainRepository domains;

    public RecipientResolver(UserRepository users, AliasRepository aliases, DomainRepository domains) {
        this.users = Objects.requireNonNull(users, "users");
        this.aliases = Objects.requireNonNull(aliases, "aliases");
        this.domains = Objects.requireNonNull(domains, "domains");
    }

    /** Resolves {@code address} (see the class description), without subaddressing. */
    public CompletionStage<Resolution> resolve(Username address) {
        return resolve(address, (Alias) null);
    }

    /**
     * Resolves {@code address} with subaddressing (RFC 5233): when the address itself resolves to no account
     * ({@link Resolution.UnknownUser}) and its local part holds {@code detailSeparator} after at least one
     * character, the address without the detail ({@code user} of {@code user+detail@domain}, split at the first
     * separator) is resolved instead, through aliases as usual. If that leads to an account, the answer is a
     * {@link Resolution.Account} for the full address carrying the detail (possibly empty, for
     * {@code user+@domain}); otherwise the answer for the full address stands. An account or alias whose name
     * contains the separator thus always wins over subaddressing. Costs one more resolution only for unknown
     * addresses holding the separator.
     *
     * @param detailSeparator the separator, usually {@code +}; empty disables subaddressing
     */
    public CompletionStage<Resolution> resolve(Username address, String detailSeparator) {
        Objects.requireNonNull(detailSeparator, "detailSeparator");
        return resolve(address).thenCompose(found -> {
            if (!(found instanceof Resolution.UnknownUser) || detailSeparator.isEmpty()) {
                return CompletableFuture.completedFuture(found);
            }
            String value = address.value();
            int at = value.indexOf('@');
            String local = at < 0 ? value : value.substring(0, at);
            int split = local.indexOf(detailSeparator);
            if (split <= 0) {
                return CompletableFuture.completedFuture(found);
            }
            Username base = new Username(local.substring(0, split) + (at < 0 ? "" : value.substring(at)));
            String detail = local.substring(split + detailSeparator.length());
            return resolve(base).thenApply(resolution -> {
                if (resolution instanceof Resolution.Account account) {
                    List<Username> chain = new ArrayList<>();
                    chain.add(address);
                    chain.addAll(account.chain());
                    return new Resolution.Account(address, account.user(), chain, Optional.of(detail));
                }
                return found;
            });
        });
    }

    /**
     * Resolves {@code address} as if {@code assumed} (nullable) were stored, replacing the stored alias of the
     * same source: lets {@link Addresses} check a new alias before storing it.
     */
    CompletionStage<Resolution> resolve(Username address, Alias assumed) {
        Optional<Domain> domain = Domain.ofAddress(address);
        CompletableFuture<Boolean> accepted = domain.isEmpty()
                ? CompletableFuture.completedFuture(true)
                : call(() -> domains.acceptsDomain(domain.get())).toCompletableFuture();
        List<Username> chain = new ArrayList<>();
        chain.add(address);
        CompletableFuture<Resolution> found = hop(address, chain, assumed).toCompletableFuture();
        return accepted.thenCombine(found, (ok, resolution) -> ok
                ? resolution
                : new Resolution.UnknownDomain(address, domain.orElseThrow()));
    }

    private CompletionStage<Resolution> hop(Username current, List<Username> chain, Alias assumed) {
        Username asked = chain.get(0);
        return call(() -> users.exists(current)).thenCompose(exists -> {
            if (exists) {
                return CompletableFuture.completedFuture(new Resolution.Account(asked, current, chain));
            }
            return lookup(current, assumed).thenCompose(found -> {
                Optional<Username> next = found.addressTarget().or(() -> found.domainTarget()
                        .flatMap(d -> sameLocalPart(current, d)));
                if (next.isEmpty()) {
                    return CompletableFuture.completedFuture(new Resolution.UnknownUser(asked));
                }
                boolean seen = chain.contains(next.get());
                chain.add(next.get());
                if (seen || chain.size() > MAX_HOPS + 1) {
                    return CompletableFuture.completedFuture(new Resolution.Loop(asked, chain));
                }
                return hop(next.get(), chain, assumed);
            });
        });
    }

    private CompletionStage<AliasLookup> lookup(Username address, Alias assumed) {
        Optional<Domain> domain = Domain.ofAddress(address);
        if (domain.isEmpty()) {
            return CompletableFuture.completedFuture(AliasLookup.NONE);
        }
        return call(() -> aliases.lookupAlias(address)).thenApply(stored -> {
            if (assumed instanceof Alias.AddressAlias a && a.source().equals(address)) {
                return new AliasLookup(Optional.of(a.target()), stored.domainTarget());
            }
            if (assumed instanceof Alias.DomainAlias d && d.source().equals(domain.get())) {
                return new AliasLookup(stored.addressTarget(), Optional.of(d.target()));
            }
            return stored;
        });
    }

    /** {@code local@domain}, empty when the result is no valid address (too long). */
    private static Optional<Username> sameLocalPart(Username address, Domain domain) {
        try {
            return Optional.of(new Username(Domain.localPart(address) + "@" + domain.value()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
