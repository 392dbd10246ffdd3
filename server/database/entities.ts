import { DisplayToken, IngestKey } from '../auth/credential.entities.js';
import { Call } from '../calls/call.entity.js';
import { FollowUpCadence } from '../followups/follow-up-cadence.entity.js';
import { ContactAttempt } from '../leads/contact-attempt.entity.js';
import { LeadEvent } from '../leads/lead-event.entity.js';
import { Lead, LeadMerge } from '../leads/lead.entity.js';
import { Patient } from '../patients/patient.entity.js';
import { Integration, WebhookDelivery } from '../integrations/integration.entities.js';
import { Goal } from '../practices/goal.entity.js';
import { Campaign, MarketingSource, MarketingSpend } from '../practices/marketing.entities.js';
import { Practice } from '../practices/practice.entity.js';
import { Staff } from '../practices/staff.entity.js';
import { PhiAccessLog } from '../privacy/phi-access-log.entity.js';
import { AppUser, UserSession } from '../users/user.entities.js';
import { InitialSchema1795810069323 } from '../../migrations/1795810069323-InitialSchema.js';
import { Integrations1795814552128 } from '../../migrations/1795814552128-Integrations.js';
import { LeadManagement1795817772369 } from '../../migrations/1795817772369-LeadManagement.js';
import { FollowUps1795818138724 } from '../../migrations/1795818138724-FollowUps.js';
import { Users1795814499246 } from '../../migrations/1795814499246-Users.js';
import { ClusterSupport1796290103015 } from '../../migrations/1796290103015-ClusterSupport.js';

export const ENTITIES = [
  Practice,
  Staff,
  MarketingSource,
  Campaign,
  MarketingSpend,
  Goal,
  Lead,
  LeadMerge,
  Patient,
  LeadEvent,
  ContactAttempt,
  Call,
  IngestKey,
  DisplayToken,
  AppUser,
  UserSession,
  Integration,
  WebhookDelivery,
  PhiAccessLog,
  FollowUpCadence,
];

/** In order. Listed rather than globbed so the compiled app and ts-jest load the same set. */
export const MIGRATIONS = [
  InitialSchema1795810069323,
  Users1795814499246,
  Integrations1795814552128,
  LeadManagement1795817772369,
  FollowUps1795818138724,
  ClusterSupport1796290103015,
];
