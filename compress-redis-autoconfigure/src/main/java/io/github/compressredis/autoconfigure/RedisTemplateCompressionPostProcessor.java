package io.github.compressredis.autoconfigure;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.github.compressredis.autoconfigure.commands.CompressionCommandsConnectionFactory;
import io.github.compressredis.autoconfigure.commands.CompressionCommandsReactiveTemplates;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.ClassUtils;

/**
 * Wraps the value and hash-value serializers of every {@link RedisTemplate} bean (Boot's
 * and the application's own) and, when enabled, rebuilds every
 * {@link ReactiveRedisTemplate} bean with a compressing serialization context. Keys and
 * hash keys are never touched; templates named in {@code compress.redis.template.exclude}
 * are left alone. A wrapped template's connections come from a
 * {@link CompressionCommandsConnectionFactory}, one per client factory, so that templates
 * sharing a client factory still share its transaction-bound connection.
 *
 * @author compress-redis contributors
 */
class RedisTemplateCompressionPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(RedisTemplateCompressionPostProcessor.class);

	private static final boolean reactivePresent = ClassUtils.isPresent("reactor.core.publisher.Flux",
			RedisTemplateCompressionPostProcessor.class.getClassLoader());

	private final Supplier<CompressingSerializerFactory> factory;

	private final Supplier<CompressRedisProperties> properties;

	private final Map<RedisConnectionFactory, CompressionCommandsConnectionFactory> connectionFactories = new IdentityHashMap<>();

	RedisTemplateCompressionPostProcessor(Supplier<CompressingSerializerFactory> factory,
			Supplier<CompressRedisProperties> properties) {
		this.factory = factory;
		this.properties = properties;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RedisTemplate<?, ?> template) {
			CompressRedisProperties properties = this.properties.get();
			if (properties.getTemplate().isEnabled() && !excluded(properties, beanName)) {
				wrap(template, beanName);
			}
		}
		else if (bean instanceof RedisSerializer<?> serializer
				&& CompressRedisSessionConfiguration.SESSION_SERIALIZER_BEAN_NAME.equals(beanName)) {
			// the application's own Spring Session serializer: compress what it produces
			return this.properties.get().getSession().isEnabled() ? this.factory.get().wrap(serializer, "session")
					: bean;
		}
		else if (reactivePresent && bean instanceof ReactiveRedisTemplate<?, ?> template) {
			CompressRedisProperties properties = this.properties.get();
			if (properties.getReactive().isEnabled() && !excluded(properties, beanName)) {
				return ReactiveTemplates.wrap(template, beanName, this.factory.get());
			}
		}
		return bean;
	}

	private boolean excluded(CompressRedisProperties properties, String beanName) {
		Set<String> exclude = properties.getTemplate().getExclude();
		return exclude.contains(beanName);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void wrap(RedisTemplate template, String beanName) {
		CompressingSerializerFactory factory = this.factory.get();
		RedisSerializer<?> value = template.getValueSerializer();
		RedisSerializer<?> hashValue = template.getHashValueSerializer();
		String target = "template:" + beanName;
		if (value != null) {
			template.setValueSerializer(factory.wrap(value, target));
		}
		if (hashValue != null) {
			template.setHashValueSerializer(factory.wrap(hashValue, target));
		}
		RedisConnectionFactory connectionFactory = template.getConnectionFactory();
		if (connectionFactory != null && !(connectionFactory instanceof CompressionCommandsConnectionFactory)) {
			template.setConnectionFactory(commandsConnectionFactory(connectionFactory, factory));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Compressing values and hash values of RedisTemplate '" + beanName + "'");
		}
	}

	private synchronized CompressionCommandsConnectionFactory commandsConnectionFactory(
			RedisConnectionFactory connectionFactory, CompressingSerializerFactory factory) {
		return this.connectionFactories.computeIfAbsent(connectionFactory,
				(client) -> new CompressionCommandsConnectionFactory(client, factory.getCompressor()));
	}

	/**
	 * Kept apart so that the reactive types are only loaded when Reactor is present.
	 */
	static final class ReactiveTemplates {

		private ReactiveTemplates() {
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		static Object wrap(ReactiveRedisTemplate template, String beanName, CompressingSerializerFactory factory) {
			if (template.getClass() != ReactiveRedisTemplate.class
					&& template.getClass() != ReactiveStringRedisTemplate.class) {
				logger.info("Not compressing ReactiveRedisTemplate '" + beanName + "' of type "
						+ template.getClass().getName()
						+ ": its serialization context is immutable and a subclass cannot be rebuilt; "
						+ "give it a context built with CompressingSerializerFactory instead");
				return template;
			}
			RedisSerializationContext context = template.getSerializationContext();
			if (context.getValueSerializationPair() instanceof CompressingSerializerFactory.CompressingPair) {
				return template;
			}
			RedisSerializationContext compressing = RedisSerializationContext.newSerializationContext()
				.key(context.getKeySerializationPair())
				.value(factory.wrap(context.getValueSerializationPair(), "template:" + beanName))
				.hashKey(context.getHashKeySerializationPair())
				.hashValue(factory.wrap(context.getHashValueSerializationPair(), "template:" + beanName))
				.string(context.getStringSerializationPair())
				.build();
			if (logger.isDebugEnabled()) {
				logger.debug("Compressing values and hash values of ReactiveRedisTemplate '" + beanName + "'");
			}
			return CompressionCommandsReactiveTemplates.create(template, compressing, factory.getCompressor());
		}

	}

}
