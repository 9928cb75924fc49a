// Registrar (RFC 3261 §10.3) and REGISTER client state (§10.2).
export {
  type Binding,
  type BindingEvent,
  type BindingEventType,
  type BindingListener,
  formatBindingContact,
  LocationService,
  type LocationServiceOptions,
  remainingSeconds,
  type SourceAddress,
} from './location-service.ts';
export {
  aorKey,
  DEFAULT_REGISTRAR_POLICY,
  processRegister,
  type RegisterContext,
  type RegisterOutcome,
  type RegistrarPolicy,
  type ResponseHeader,
} from './process-register.ts';
export {
  type RegisterAction,
  type RegisterClientOptions,
  RegisterClientState,
  registerRefreshDelay,
} from './register-client.ts';
