import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPracticeId } from '../common/principal.decorators.js';
import { Roles } from '../auth/roles.guard.js';
import { openApiBody } from '../common/validation.js';
import { SESSION_COOKIE } from '../users/sessions.js';
import {
  createStaffSchema,
  credentialNameSchema,
  updateSettingsSchema,
  updateStaffSchema,
  type CreateStaffInput,
  type CredentialNameInput,
  type UpdateSettingsInput,
  type UpdateStaffInput,
} from './admin.schemas.js';
import type { CreatedDisplay, CreatedIngestKey, CredentialView, SettingsView, StaffView } from './admin.contract.js';
import { AdminService } from './admin.service.js';

/** The practice's integration keys and TVs: admins only (session cookie + X-CSRF-Token). */
@ApiTags('admin')
@ApiCookieAuth(SESSION_COOKIE)
@Roles('admin')
@Controller('api/v1/admin')
export class AdminCredentialsController {
  constructor(private readonly admin: AdminService) {}

  @Get('ingest-keys')
  @ApiOperation({ summary: "This practice's ingest API keys: name, prefix, created, revoked (never the key)" })
  listIngestKeys(@CurrentPracticeId() practiceId: string): Promise<CredentialView[]> {
    return this.admin.listIngestKeys(practiceId);
  }

  @Post('ingest-keys')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create an ingest API key; the key is in this answer only (it is stored as a digest)' })
  @ApiBody({ schema: openApiBody(credentialNameSchema) })
  createIngestKey(@CurrentPracticeId() practiceId: string, @Body({ schema: credentialNameSchema }) input: CredentialNameInput): Promise<CreatedIngestKey> {
    return this.admin.createIngestKey(practiceId, input.name);
  }

  @Post('ingest-keys/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an ingest API key: refused from the next request on (repeating it changes nothing)' })
  @ApiResponse({ status: 404, description: 'No such key in this practice.' })
  revokeIngestKey(@CurrentPracticeId() practiceId: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<CredentialView> {
    return this.admin.revokeIngestKey(practiceId, id);
  }

  @Get('displays')
  @ApiOperation({ summary: "This practice's TV display tokens: name, prefix, created, revoked (never the token)" })
  listDisplays(@CurrentPracticeId() practiceId: string): Promise<CredentialView[]> {
    return this.admin.listDisplays(practiceId);
  }

  @Post('displays')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Create a TV display token; the token and the TV's board URL are in this answer only" })
  @ApiBody({ schema: openApiBody(credentialNameSchema) })
  createDisplay(@CurrentPracticeId() practiceId: string, @Body({ schema: credentialNameSchema }) input: CredentialNameInput): Promise<CreatedDisplay> {
    return this.admin.createDisplay(practiceId, input.name);
  }

  @Post('displays/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a TV display token: a TV showing the board with it is disconnected at once' })
  @ApiResponse({ status: 404, description: 'No such display in this practice.' })
  revokeDisplay(@CurrentPracticeId() practiceId: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<CredentialView> {
    return this.admin.revokeDisplay(practiceId, id);
  }
}

/** Staff as the TV shows them (first name or initials): admins and managers. */
@ApiTags('admin')
@ApiCookieAuth(SESSION_COOKIE)
@Roles('admin', 'manager')
@Controller('api/v1/admin/staff')
export class AdminStaffController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @ApiOperation({ summary: "This practice's staff: display name, role, active" })
  list(@CurrentPracticeId() practiceId: string): Promise<StaffView[]> {
    return this.admin.listStaff(practiceId);
  }

  @Post()
  @ApiOperation({ summary: 'Add a staff member: a display name of 1 to 40 characters (first name or initials: the TV shows it)' })
  @ApiBody({ schema: openApiBody(createStaffSchema) })
  @ApiResponse({ status: 409, description: 'The display name is taken in this practice (ignoring case).' })
  create(@CurrentPracticeId() practiceId: string, @Body({ schema: createStaffSchema }) input: CreateStaffInput): Promise<StaffView> {
    return this.admin.createStaff(practiceId, input);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change the role of, or deactivate / reactivate a staff member' })
  @ApiBody({ schema: openApiBody(updateStaffSchema) })
  @ApiResponse({ status: 409, description: 'The new display name is taken in this practice (ignoring case).' })
  update(
    @CurrentPracticeId() practiceId: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body({ schema: updateStaffSchema }) input: UpdateStaffInput,
  ): Promise<StaffView> {
    return this.admin.updateStaff(practiceId, id, input);
  }
}

/** The practice's settings: admins change them, managers may read them. */
@ApiTags('admin')
@ApiCookieAuth(SESSION_COOKIE)
@Controller('api/v1/admin/settings')
export class AdminSettingsController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @Roles('admin', 'manager')
  @ApiOperation({ summary: "The practice's settings: name, time zone, currency, holiday region, opening hours, board thresholds, lead merge window" })
  get(@CurrentPracticeId() practiceId: string): Promise<SettingsView> {
    return this.admin.getSettings(practiceId);
  }

  @Patch()
  @Roles('admin')
  @ApiOperation({
    summary:
      'Change some settings (all or nothing; a bad field is a 400 naming it). openingHours: {"mon": [["08:00","18:00"]], ...} or "mon-fri 08:00-18:00; sat 09:00-13:00". The boards rebuild with the new settings.',
  })
  @ApiBody({ schema: openApiBody(updateSettingsSchema) })
  update(@CurrentPracticeId() practiceId: string, @Body({ schema: updateSettingsSchema }) input: UpdateSettingsInput): Promise<SettingsView> {
    return this.admin.updateSettings(practiceId, input);
  }
}
