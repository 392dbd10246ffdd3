// A patient's contact details as a request body carries them (a lead's or a call's `patient`).

import { z } from 'zod';

export const patientDetailsSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().min(3).max(40).optional(),
    email: z.email().max(320).optional(),
  })
  .meta({ description: 'Patient contact details. Stored apart from the lead, never shown on a board.' });
export type PatientDetailsInput = z.infer<typeof patientDetailsSchema>;
