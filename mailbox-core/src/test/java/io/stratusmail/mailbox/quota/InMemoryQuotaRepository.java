package io.stratusmail.mailbox.quota;

import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake {@link QuotaRepository} for unit tests (shipped in the test-jar): settings in a map, users checked
 * against a {@link UserRepository}. Unlike a real store, settings of a deleted user are not removed with it.
 */
public final class InMemoryQuotaRepository implements QuotaRepository {

    private final UserRepository users;
    private final Map<Username, UserQuota> settings = new ConcurrentHashMap<>();

    public InMemoryQuotaRepository(UserRepository users) {
        this.users = users;
    }

    @Override
    public CompletionStage<Optional<UserQuota>> quota(Username user) {
        return users.exists(user).thenApply(exists -> exists
                ? Optional.of(settings.getOrDefault(user, UserQuota.DEFAULTS))
                : Optional.empty());
    }

    @Override
    public CompletionStage<Boolean> setQuota(Username user, UserQuota quota) {
        return users.exists(user).thenApply(exists -> {
            if (exists) {
                settings.put(user, quota);
            }
            return exists;
        });
    }
}
