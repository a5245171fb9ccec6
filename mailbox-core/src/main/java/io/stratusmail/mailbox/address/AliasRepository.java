package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.user.Username;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Persistent aliases ({@link Alias}). Stores what it is given: the checks that keep aliases sensible (no loop,
 * a target that exists) are made by {@link Addresses}, and {@link RecipientResolver} survives a loop that slips
 * through (two administrators racing). Every method completes once the change is durable, or fails with
 * {@link io.stratusmail.mailbox.StorageUnavailableException}.
 */
public interface AliasRepository {

    /** Creates the alias, or replaces the target of the alias with the same source. */
    CompletionStage<Void> putAlias(Alias alias);

    /**
     * The aliases that apply to {@code address}: its own and its domain's, in one read. A bare local part has
     * neither ({@link AliasLookup#NONE}).
     */
    CompletionStage<AliasLookup> lookupAlias(Username address);

    /** The target of the whole-domain alias of {@code domain}, if any. */
    CompletionStage<Optional<Domain>> domainAlias(Domain domain);

    /** Every alias, sorted by {@link Alias#sourceText()}. For administration (reads the whole table). */
    CompletionStage<List<Alias>> listAliases();

    /** Deletes the alias of an address; completes with false when there was none. */
    CompletionStage<Boolean> deleteAddressAlias(Username source);

    /** Deletes the whole-domain alias of a domain; completes with false when there was none. */
    CompletionStage<Boolean> deleteDomainAlias(Domain source);
}
