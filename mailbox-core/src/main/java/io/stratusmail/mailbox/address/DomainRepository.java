package io.stratusmail.mailbox.address;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The list of local domains: the domains this system receives mail for. An empty list means every domain is
 * local (a fresh or single-domain installation needs no set-up). Every method completes once the change is
 * durable, or fails with {@link io.stratusmail.mailbox.StorageUnavailableException}.
 */
public interface DomainRepository {

    /** Adds a local domain; completes with false when it was listed already. */
    CompletionStage<Boolean> addDomain(Domain domain);

    /** Removes a local domain; completes with false when it was not listed. */
    CompletionStage<Boolean> deleteDomain(Domain domain);

    /** Every local domain, sorted. */
    CompletionStage<List<Domain>> listDomains();

    /** Whether mail for {@code domain} is accepted: it is listed, or the list is empty. */
    CompletionStage<Boolean> acceptsDomain(Domain domain);
}
