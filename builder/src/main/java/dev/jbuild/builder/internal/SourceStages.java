package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Resolves a {@code --from} value to the image it names: a {@code --build-context} of that name, an earlier
 * stage's result, or an image by reference.
 */
final class SourceStages {
    private SourceStages() {
    }

    static ImageState state(StepContext context, String from) throws IOException, BuildException, InterruptedException {
        BuildSession session = context.session();
        if (session.request.namedContexts().containsKey(from.toLowerCase(Locale.ROOT))) {
            return ImageState.of(session.images.resolve(from, session.platform));
        }
        Optional<PlannedStage> stage = session.plan.stageNamed(from, context.stage().index());
        if (stage.isPresent()) {
            try {
                return session.stageResults.get(stage.get().index()).get();
            } catch (ExecutionException e) {
                throw new BuildException(context.line(), "stage " + stage.get().displayName() + " failed", e.getCause());
            }
        }
        return ImageState.of(session.images.resolve(from, session.platform));
    }

    static List<ImageState.LayerRef> layers(StepContext context, String from) throws IOException, BuildException,
            InterruptedException {
        return state(context, from).layers();
    }
}
