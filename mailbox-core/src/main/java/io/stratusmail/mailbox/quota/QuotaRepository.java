package io.stratusmail.mailbox.quota;

import io.stratusmail.mailbox.user.Username;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Persistent per-user quota settings, kept with the account: deleting the account deletes them, so a user
 * created again with the same address starts with the node defaults. Stages fail with
 * {@link io.stratusmail.mailbox.StorageUnavailableException} when the store cannot answer.
 */
public interface QuotaRepository {

    /** The user's own settings ({@link UserQuota#DEFAULTS} when none were set); empty for an unknown user. */
    CompletionStage<Optional<UserQuota>> quota(Username user);

    /**
     * Replaces the user's own settings. Completes with false, storing nothing, when the user does not exist
     * (a change racing with a deletion never brings the account back). Completes once durable.
     */
    CompletionStage<Boolean> setQuota(Username user, UserQuota quota);
}
