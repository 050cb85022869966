package io.github.compressredis.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns an invalid {@code compress.redis} property at startup into a report naming the
 * property, its value and where it was set, and what to do.
 *
 * @author compress-redis contributors
 */
class InvalidCompressRedisPropertyFailureAnalyzer
		extends AbstractFailureAnalyzer<InvalidCompressRedisPropertyException> {

	private final @Nullable Environment environment;

	InvalidCompressRedisPropertyFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidCompressRedisPropertyException cause) {
		@Nullable ConfigurationProperty property = find(cause.getProperty());
		StringBuilder description = new StringBuilder("Invalid value");
		if (property != null) {
			description.append(" '").append(property.getValue()).append("'");
		}
		description.append(" for configuration property '").append(cause.getProperty()).append("'");
		if (property != null && property.getOrigin() != null) {
			description.append(" (set in ").append(property.getOrigin()).append(")");
		}
		description.append(":\n\n    ").append(cause.getReason());
		String action = "Change '" + cause.getProperty() + "' as the reason above says, or remove it to use the "
				+ "default; the properties, their defaults and ranges are listed in the README.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private @Nullable ConfigurationProperty find(String name) {
		if (this.environment == null) {
			return null;
		}
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.ofIfValid(name);
		if (propertyName == null) {
			return null;
		}
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(propertyName);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

}
