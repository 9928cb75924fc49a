// RFC 3903 PUBLISH: the Event State Compositor helper and the publisher (EPA) state.
export {
  EventStateCompositor,
  type EventStateCompositorOptions,
  type Publication,
  type PublicationChange,
  type PublicationChangeCause,
  type PublicationListener,
  type PublishOutcome,
} from './event-state-compositor.ts';
export { eventPackage, handlePublishRequest } from './publish-request.ts';
export {
  type PublishAction,
  PublisherState,
  type PublishRequestParts,
  publishRefreshDelay,
} from './publisher-state.ts';
