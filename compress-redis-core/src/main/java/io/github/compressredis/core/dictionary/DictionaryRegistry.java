package io.github.compressredis.core.dictionary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.RateLimitedWarning;
import io.github.compressredis.core.internal.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.internal.format.WireFormatException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The dictionaries of an application: a bounded cache of prepared dictionaries by id for
 * readers (a miss asks the store, within a size limit per record and a rate limit per
 * second, and is remembered for a while, so that ids nobody stored cost no round trip per
 * read), the targets writers use, and one background thread that trains and polls the
 * store for dictionaries other instances published (every poll interval, and at once when
 * a reader meets a dictionary it had not seen). {@link #close()} stops the thread and
 * releases every dictionary's native memory.
 *
 * @author compress-redis contributors
 */
public final class DictionaryRegistry implements DictionaryProvider, AutoCloseable {

	private static final Log logger = LogFactory.getLog(DictionaryRegistry.class);

	/** How long an id the store does not hold (or refused) is answered from memory. */
	static final long MISSING_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

	/**
	 * Ids remembered as missing; beyond this the oldest is forgotten (never the whole
	 * cache).
	 */
	static final int MAX_MISSING = 4096;

	/** Lookups of ids not in memory: at most this many a second on average... */
	static final int LOOKUPS_PER_SECOND = 10;

	/**
	 * ...and at most this many at once (an instance meeting the dictionaries in use at
	 * startup).
	 */
	static final int LOOKUP_BURST = 50;

	/**
	 * Prepared dictionaries kept; beyond this the least recently used one not in use by a
	 * writer goes.
	 */
	static final int MAX_LOADED = 64;

	private final DictionaryStore store;

	private final DictionarySettings settings;

	private final LongSupplier nanoClock;

	private final int maxRecordLength;

	private final Map<Integer, Loaded> loaded = new ConcurrentHashMap<>();

	/** Ids not held (or refused) by the store, oldest first. */
	private final LinkedHashMap<Integer, Missing> missing = new LinkedHashMap<>();

	private long lookupTokens = LOOKUP_BURST;

	private long lookupTokensAt;

	private final LongAdder lookups = new LongAdder();

	private final LongAdder limitedLookups = new LongAdder();

	private final Map<String, DictionaryTarget> targets = new ConcurrentHashMap<>();

	private final Map<TrainingOutcome, LongAdder> trainings = new EnumMap<>(TrainingOutcome.class);

	private final LongAdder adoptions = new LongAdder();

	private final RateLimitedWarning pollWarning = new RateLimitedWarning(logger);

	private @Nullable ScheduledThreadPoolExecutor executor;

	private volatile boolean closed;

	public DictionaryRegistry(DictionaryStore store, DictionarySettings settings) {
		this(store, settings, System::nanoTime);
	}

	/**
	 * Create a registry on a clock, for tests of the time-limited caches.
	 * @param store where dictionaries are saved and read
	 * @param settings the sampling, training and caching settings
	 * @param nanoClock a source of {@link System#nanoTime()}-like readings
	 */
	DictionaryRegistry(DictionaryStore store, DictionarySettings settings, LongSupplier nanoClock) {
		this.store = Objects.requireNonNull(store, "'store' must not be null");
		this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
		this.nanoClock = nanoClock;
		this.lookupTokensAt = nanoClock.getAsLong();
		this.maxRecordLength = Dictionary.maxRecordLength(settings.dictionarySize());
		for (TrainingOutcome outcome : TrainingOutcome.values()) {
			this.trainings.put(outcome, new LongAdder());
		}
	}

	/**
	 * The thread starts with the first target, so a registry that only serves readers has
	 * none.
	 * @return the executor, or {@code null} before the first target
	 */
	private synchronized @Nullable ScheduledThreadPoolExecutor executor() {
		if (this.executor == null && !this.closed) {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "compress-redis-dictionaries");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			long poll = this.settings.pollInterval().toMillis();
			executor.scheduleWithFixedDelay(this::pollQuietly, poll, poll, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
		return this.executor;
	}

	public DictionaryStore store() {
		return this.store;
	}

	public DictionarySettings settings() {
		return this.settings;
	}

	/**
	 * Return the target with a name, creating it on first use; a new target adopts the
	 * store's current dictionary for it in the background.
	 * @param name the target's name, for example {@code cache:products}
	 * @return the target
	 */
	public DictionaryTarget target(String name) {
		DictionaryTarget existing = this.targets.get(name);
		if (existing != null) {
			return existing;
		}
		Dictionary.checkTargetName(name);
		DictionaryTarget created = new DictionaryTarget(name, this, this.settings);
		DictionaryTarget raced = this.targets.putIfAbsent(name, created);
		if (raced != null) {
			return raced;
		}
		submit(() -> poll(created));
		return created;
	}

	/**
	 * Return every target, in name order.
	 * @return the targets
	 */
	public List<DictionaryTarget> targets() {
		List<DictionaryTarget> all = new ArrayList<>(this.targets.values());
		all.sort((a, b) -> a.name().compareTo(b.name()));
		return Collections.unmodifiableList(all);
	}

	@Override
	public ZstdDictionaryCodec codec(int id) {
		Loaded cached = this.loaded.get(id);
		if (cached != null) {
			return cached.use(this.nanoClock.getAsLong()).codec();
		}
		Loaded found;
		try {
			found = load(id, true);
		}
		catch (LookupRefusedException ex) {
			throw new WireFormatException(DecodeFault.MISSING_DICTIONARY,
					"dictionary " + id + " is not in this instance's cache and " + ex.getMessage(), ex);
		}
		catch (DictionaryRecordTooLargeException | IllegalArgumentException ex) {
			throw new WireFormatException(DecodeFault.MISSING_DICTIONARY, "dictionary " + id
					+ " is not in this instance's cache and its record was refused: " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			throw new WireFormatException(DecodeFault.MISSING_DICTIONARY,
					"dictionary " + id + " is not in this instance's cache and could not be loaded from "
							+ this.store.location(id) + " (" + ex.getMessage() + "); check the connection to the store",
					ex);
		}
		if (found != null && !this.targets.isEmpty()) {
			// a value with a dictionary this instance had not seen: another instance may
			// have published it
			submit(this::pollQuietly);
		}
		if (found == null) {
			throw new WireFormatException(DecodeFault.MISSING_DICTIONARY, "dictionary " + id
					+ " is neither in this instance's cache nor at " + this.store.location(id)
					+ "; it was deleted, or the value was written by an application with another dictionary store "
					+ "(compress.redis.dictionary.prefix); restore the dictionary from a backup or rewrite the value");
		}
		return found.codec();
	}

	/**
	 * Return a dictionary by id, from the cache or else from the store. An id the store
	 * does not hold, or holds a record too large or malformed for, is remembered as
	 * missing for {@link #MISSING_TTL_NANOS}; with {@code limited}, lookups in the store
	 * are also held to {@link #LOOKUPS_PER_SECOND}, so that garbage or forged ids in
	 * values cannot make every read a Redis round trip.
	 * @param id the id
	 * @param limited whether the lookup counts against the rate limit (reads do,
	 * adoptions of what the store names as current do not: they are bounded by the poll
	 * interval)
	 * @return it, or {@code null} if the store does not hold it
	 * @throws LookupRefusedException if the id is out of range, remembered as refused, or
	 * the rate limit is reached
	 * @throws RuntimeException if the store cannot be reached
	 */
	@Nullable Loaded load(int id, boolean limited) {
		long now = this.nanoClock.getAsLong();
		Loaded cached = this.loaded.get(id);
		if (cached != null) {
			return cached.use(now);
		}
		if (id <= 0 || id > Dictionary.MAX_ID) {
			throw new LookupRefusedException("is outside the ids a header can carry (1 to " + Dictionary.MAX_ID + ")");
		}
		synchronized (this.missing) {
			Missing known = this.missing.get(id);
			if (known != null) {
				if (now - known.until() < 0) {
					if (known.refusal() != null) {
						throw new LookupRefusedException("its record was refused less than "
								+ TimeUnit.NANOSECONDS.toSeconds(MISSING_TTL_NANOS) + " s ago: " + known.refusal());
					}
					return null;
				}
				this.missing.remove(id);
			}
			if (limited && !takeLookupToken(now)) {
				this.limitedLookups.increment();
				throw new LookupRefusedException("was not looked up at " + this.store.location(id)
						+ ": lookups of unknown dictionary ids are limited to " + LOOKUPS_PER_SECOND
						+ " a second and that limit is reached (values naming ids that do not exist are being read); "
						+ "the read may be retried");
			}
		}
		this.lookups.increment();
		Dictionary dictionary;
		try {
			dictionary = this.store.find(id, this.maxRecordLength);
		}
		catch (DictionaryRecordTooLargeException | IllegalArgumentException ex) {
			// a record that is no dictionary stays refused as long as a missing one,
			// without being read again
			rememberMissing(id, now, ex.getMessage());
			throw ex;
		}
		if (dictionary == null) {
			rememberMissing(id, now, null);
			return null;
		}
		return cache(dictionary);
	}

	private boolean takeLookupToken(long now) {
		long elapsed = now - this.lookupTokensAt;
		long refill = elapsed / (TimeUnit.SECONDS.toNanos(1) / LOOKUPS_PER_SECOND);
		if (refill > 0) {
			this.lookupTokens = Math.min(LOOKUP_BURST, this.lookupTokens + refill);
			this.lookupTokensAt = (this.lookupTokens == LOOKUP_BURST) ? now
					: this.lookupTokensAt + refill * (TimeUnit.SECONDS.toNanos(1) / LOOKUPS_PER_SECOND);
		}
		if (this.lookupTokens == 0) {
			return false;
		}
		this.lookupTokens--;
		return true;
	}

	private void rememberMissing(int id, long now, @Nullable String refusal) {
		synchronized (this.missing) {
			this.missing.remove(id);
			// entries expire in insertion order: drop the expired ones, then the oldest
			// beyond the bound
			Iterator<Missing> oldest = this.missing.values().iterator();
			while (oldest.hasNext()) {
				long until = oldest.next().until();
				if (this.missing.size() < MAX_MISSING && now - until < 0) {
					break;
				}
				oldest.remove();
			}
			this.missing.put(id, new Missing(now + MISSING_TTL_NANOS, refusal));
		}
	}

	/**
	 * Prepare a dictionary and keep it for readers; rotated-out dictionaries stay while
	 * there is room, since values may still use them, and are loaded again if they were
	 * evicted.
	 * @param dictionary the dictionary to keep
	 * @return the loaded dictionary with its codec
	 */
	Loaded cache(Dictionary dictionary) {
		if (this.closed) {
			throw new IllegalStateException("DictionaryRegistry is closed");
		}
		Loaded created = new Loaded(dictionary, new ZstdDictionaryCodec(dictionary.id(), dictionary.bytes()),
				this.nanoClock.getAsLong());
		Loaded raced = this.loaded.putIfAbsent(dictionary.id(), created);
		if (raced != null) {
			created.codec().close();
			return raced;
		}
		synchronized (this.missing) {
			this.missing.remove(dictionary.id());
		}
		evictBeyondLimit(dictionary.id());
		return created;
	}

	/**
	 * Forget the least recently used dictionaries beyond {@link #MAX_LOADED}, never one a
	 * target writes with. An evicted codec is not closed here, since a reader may be
	 * using it: its native memory is released once nothing references it.
	 * @param keep the dictionary to keep whatever its age
	 */
	private void evictBeyondLimit(int keep) {
		while (this.loaded.size() > MAX_LOADED) {
			Loaded oldest = null;
			for (Loaded candidate : this.loaded.values()) {
				if (candidate.dictionary().id() != keep && !isCurrent(candidate)
						&& (oldest == null || candidate.lastUsed() - oldest.lastUsed() < 0)) {
					oldest = candidate;
				}
			}
			if (oldest == null || !this.loaded.remove(oldest.dictionary().id(), oldest)) {
				return;
			}
		}
	}

	private boolean isCurrent(Loaded loaded) {
		for (DictionaryTarget target : this.targets.values()) {
			if (target.isCurrent(loaded)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return how many times an id not in memory was looked up in the store.
	 * @return the count
	 */
	public long lookups() {
		return this.lookups.sum();
	}

	int missingCount() {
		synchronized (this.missing) {
			return this.missing.size();
		}
	}

	/**
	 * Return how many lookups were refused because the lookup rate limit was reached.
	 * @return the count
	 */
	public long limitedLookups() {
		return this.limitedLookups.sum();
	}

	/**
	 * Read the current dictionary of every target from the store now, on the calling
	 * thread, and adopt the ones that changed.
	 */
	public void refresh() {
		for (DictionaryTarget target : this.targets.values()) {
			target.adoptCurrent();
		}
	}

	/**
	 * Return how many training runs ended with an outcome.
	 * @param outcome the outcome
	 * @return the count
	 */
	public long trainings(TrainingOutcome outcome) {
		return this.trainings.get(outcome).sum();
	}

	/**
	 * Return how many dictionaries targets adopted from the store.
	 * @return the count
	 */
	public long adoptions() {
		return this.adoptions.sum();
	}

	/**
	 * Return how many dictionaries are prepared in memory (in use or still read).
	 * @return the count
	 */
	public int loadedCount() {
		return this.loaded.size();
	}

	/**
	 * Return the dictionaries prepared in memory (for the tests of the eviction order).
	 * @return them, by id
	 */
	Collection<Dictionary> loadedDictionaries() {
		List<Dictionary> all = new ArrayList<>();
		this.loaded.values().forEach((entry) -> all.add(entry.dictionary()));
		all.sort((a, b) -> Integer.compare(a.id(), b.id()));
		return all;
	}

	void recordTraining(TrainingOutcome outcome) {
		this.trainings.get(outcome).increment();
	}

	void recordAdoption() {
		this.adoptions.increment();
	}

	boolean submit(Runnable task) {
		ScheduledThreadPoolExecutor executor = executor();
		if (executor == null) {
			return false;
		}
		try {
			executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	private void pollQuietly() {
		for (DictionaryTarget target : this.targets.values()) {
			poll(target);
		}
	}

	private void poll(DictionaryTarget target) {
		try {
			target.adoptCurrent();
		}
		catch (RuntimeException ex) {
			this.pollWarning.log(
					(suppressed) -> "Cannot read the current dictionary of '" + target.name()
							+ "' from the store; writers keep the one in use (further failures in the next minute are "
							+ "logged at DEBUG)",
					() -> "Cannot read the current dictionary of '" + target.name() + "'", ex);
		}
	}

	@Override
	public void close() {
		ScheduledThreadPoolExecutor executor;
		synchronized (this) {
			this.closed = true;
			executor = this.executor;
		}
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		for (Loaded entry : this.loaded.values()) {
			entry.codec().close();
		}
		this.loaded.clear();
	}

	/**
	 * A dictionary, its prepared codec, and when a reader last used it (updated at most
	 * once a second, so that the hot path rarely writes shared memory).
	 */
	static final class Loaded {

		private static final long USE_GRANULARITY_NANOS = TimeUnit.SECONDS.toNanos(1);

		private final Dictionary dictionary;

		private final ZstdDictionaryCodec codec;

		private volatile long lastUsed;

		Loaded(Dictionary dictionary, ZstdDictionaryCodec codec, long now) {
			this.dictionary = dictionary;
			this.codec = codec;
			this.lastUsed = now;
		}

		Dictionary dictionary() {
			return this.dictionary;
		}

		ZstdDictionaryCodec codec() {
			return this.codec;
		}

		long lastUsed() {
			return this.lastUsed;
		}

		Loaded use(long now) {
			if (now - this.lastUsed >= USE_GRANULARITY_NANOS) {
				this.lastUsed = now;
			}
			return this;
		}

	}

	/**
	 * An id the store did not hold until a time, or held a record refused for a reason.
	 */
	private record Missing(long until, @Nullable String refusal) {

	}

	/**
	 * A lookup that was not made: the message says why, to follow "dictionary N ...".
	 */
	static final class LookupRefusedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		LookupRefusedException(String message) {
			super(message, null, false, false);
		}

	}

}
