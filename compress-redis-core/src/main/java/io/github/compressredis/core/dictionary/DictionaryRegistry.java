package io.github.compressredis.core.dictionary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.compressredis.core.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.format.WireFormatException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The dictionaries of an application: a cache of prepared dictionaries by id for readers (a miss
 * asks the store once), the targets writers use, and one background thread that trains and
 * polls the store for dictionaries other instances published (every poll interval, and at once
 * when a reader meets a dictionary it had not seen). {@link #close()} stops the thread
 * and releases every dictionary's native memory.
 */
public final class DictionaryRegistry implements DictionaryProvider, AutoCloseable {

	private static final Log logger = LogFactory.getLog(DictionaryRegistry.class);

	/** How long an id the store does not hold is answered from memory (so forged ids cannot flood Redis). */
	private static final long MISSING_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final int MAX_MISSING = 1024;

	private final DictionaryStore store;

	private final DictionarySettings settings;

	private final Map<Integer, Loaded> loaded = new ConcurrentHashMap<>();

	private final Map<Integer, Long> missing = new ConcurrentHashMap<>();

	private final Map<String, DictionaryTarget> targets = new ConcurrentHashMap<>();

	private final Map<TrainingOutcome, LongAdder> trainings = new EnumMap<>(TrainingOutcome.class);

	private final LongAdder adoptions = new LongAdder();

	private final AtomicLong lastPollWarning = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(1));

	private @Nullable ScheduledThreadPoolExecutor executor;

	private volatile boolean closed;

	public DictionaryRegistry(DictionaryStore store, DictionarySettings settings) {
		this.store = Objects.requireNonNull(store, "'store' must not be null");
		this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
		for (TrainingOutcome outcome : TrainingOutcome.values()) {
			this.trainings.put(outcome, new LongAdder());
		}
	}

	/** The thread starts with the first target, so a registry that only serves readers has none. */
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
	 * Return the target with a name, creating it on first use; a new target adopts the store's
	 * current dictionary for it in the background.
	 * @param name the target's name, for example {@code cache:products}
	 * @return the target
	 */
	public DictionaryTarget target(String name) {
		DictionaryTarget existing = this.targets.get(name);
		if (existing != null) {
			return existing;
		}
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
			return cached.codec();
		}
		Loaded found;
		try {
			found = load(id);
		}
		catch (RuntimeException ex) {
			throw new WireFormatException(DecodeFault.MISSING_DICTIONARY, "dictionary " + id
					+ " is not in this instance's cache and could not be loaded from " + this.store.location(id)
					+ " (" + ex.getMessage() + "); check the connection to the store", ex);
		}
		if (found != null && !this.targets.isEmpty()) {
			// a value with a dictionary this instance had not seen: another instance may have published it
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
	 * Return a dictionary by id, from the cache or else from the store.
	 * @param id the id
	 * @return it, or {@code null} if the store does not hold it
	 */
	@Nullable Loaded load(int id) {
		Loaded cached = this.loaded.get(id);
		if (cached != null) {
			return cached;
		}
		Long missingUntil = this.missing.get(id);
		if (missingUntil != null && System.nanoTime() - missingUntil < 0) {
			return null;
		}
		Dictionary dictionary = this.store.find(id);
		if (dictionary == null) {
			if (this.missing.size() >= MAX_MISSING) {
				this.missing.clear();
			}
			this.missing.put(id, System.nanoTime() + MISSING_TTL_NANOS);
			return null;
		}
		this.missing.remove(id);
		return cache(dictionary);
	}

	/**
	 * Prepare a dictionary and keep it for readers; rotated-out dictionaries stay, since values may
	 * still use them.
	 */
	Loaded cache(Dictionary dictionary) {
		if (this.closed) {
			throw new IllegalStateException("DictionaryRegistry is closed");
		}
		Loaded created = new Loaded(dictionary, new ZstdDictionaryCodec(dictionary.id(), dictionary.bytes()));
		Loaded raced = this.loaded.putIfAbsent(dictionary.id(), created);
		if (raced != null) {
			created.codec().close();
			return raced;
		}
		return created;
	}

	/**
	 * Read the current dictionary of every target from the store now, on the calling thread, and
	 * adopt the ones that changed.
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
	 * Return the dictionaries prepared in memory.
	 * @return them, by id
	 */
	public Collection<Dictionary> loadedDictionaries() {
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
			long now = System.nanoTime();
			long last = this.lastPollWarning.get();
			if (now - last >= TimeUnit.MINUTES.toNanos(1) && this.lastPollWarning.compareAndSet(last, now)) {
				logger.warn("Cannot read the current dictionary of '" + target.name()
						+ "' from the store; writers keep the one in use (further failures in the next minute are "
						+ "logged at DEBUG)", ex);
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Cannot read the current dictionary of '" + target.name() + "'", ex);
			}
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
	 * A dictionary and its prepared codec.
	 */
	record Loaded(Dictionary dictionary, ZstdDictionaryCodec codec) {

	}

}
