package io.stratusmail.mailbox.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class QuotaLimitsTest {

    private static final QuotaLimits TEN_KIB_FIVE_MESSAGES = new QuotaLimits(OptionalLong.of(10240), OptionalLong.of(5));

    @Test
    void anAdditionThatFitsExactlyPasses() {
        assertThatCode(() -> TEN_KIB_FIVE_MESSAGES.check(new QuotaUsage(10000, 4), 1, 240)).doesNotThrowAnyException();
    }

    @Test
    void theMessageLimitIsCheckedBeforeStorage() {
        assertThatThrownBy(() -> TEN_KIB_FIVE_MESSAGES.check(new QuotaUsage(10240, 5), 1, 1))
                .isInstanceOfSatisfying(OverQuotaException.class, e -> {
                    assertThat(e.resource()).isEqualTo(QuotaResource.MESSAGE);
                    assertThat(e.getMessage()).contains("MESSAGE", "limit=5", "usage=5", "requested=1");
                });
        assertThatThrownBy(() -> TEN_KIB_FIVE_MESSAGES.check(new QuotaUsage(10000, 0), 1, 241))
                .isInstanceOfSatisfying(OverQuotaException.class,
                        e -> assertThat(e.resource()).isEqualTo(QuotaResource.STORAGE));
    }

    @Test
    void addingNothingPassesEvenBeyondALoweredLimit() {
        assertThatCode(() -> TEN_KIB_FIVE_MESSAGES.check(new QuotaUsage(99999, 99), 0, 0)).doesNotThrowAnyException();
    }

    @Test
    void aZeroLimitRefusesEverything() {
        QuotaLimits none = new QuotaLimits(OptionalLong.of(0), OptionalLong.empty());
        assertThatThrownBy(() -> none.check(QuotaUsage.NONE, 1, 1)).isInstanceOf(OverQuotaException.class);
    }

    @Test
    void unlimitedNeverFails() {
        assertThat(QuotaLimits.UNLIMITED.unlimited()).isTrue();
        assertThatCode(() -> QuotaLimits.UNLIMITED.check(new QuotaUsage(Long.MAX_VALUE / 2, 1), 1, 1))
                .doesNotThrowAnyException();
    }

    @Test
    void badValuesAreRejected() {
        assertThatThrownBy(() -> QuotaLimit.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuotaLimit(QuotaLimit.Kind.UNLIMITED, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuotaLimits(OptionalLong.of(-1), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TEN_KIB_FIVE_MESSAGES.check(QuotaUsage.NONE, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ownSettingsResolveAgainstDefaults() {
        QuotaLimits defaults = new QuotaLimits(OptionalLong.of(100), OptionalLong.of(7));
        assertThat(UserQuota.DEFAULTS.resolve(defaults)).isEqualTo(defaults);
        assertThat(new UserQuota(QuotaLimit.UNLIMITED, QuotaLimit.of(0)).resolve(defaults))
                .isEqualTo(new QuotaLimits(OptionalLong.empty(), OptionalLong.of(0)));
    }
}
