package io.github.compressredis.core.dictionary;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one target's dictionary state.
 *
 * @param target the target's name
 * @param dictionary the dictionary in use ({@code null} for none yet)
 * @param ratio stored/original size of the last held-out samples with the dictionary in
 * use ({@code NaN} if not measured)
 * @param plainRatio the same without a dictionary ({@code NaN} if not measured)
 * @param checkedAt when held-out samples were last measured ({@code null} if never)
 * @param samples samples held in the reservoir now
 * @param trainings training runs by this instance
 * @param published dictionaries this instance published for the target
 * @param adoptions dictionaries adopted from the store (trained by another instance, or
 * before a restart)
 * @author compress-redis contributors
 */
public record DictionaryStatus(String target, @Nullable Dictionary dictionary, double ratio, double plainRatio,
		@Nullable Instant checkedAt, int samples, long trainings, long published, long adoptions) {

}
