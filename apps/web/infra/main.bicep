// acs-stack on Azure: an ACS resource, the web app on Container Apps with a system-assigned managed
// identity allowed to manage ACS identities and tokens, and PostgreSQL Flexible Server for app data,
// reached with that same identity (Microsoft Entra authentication: no database password anywhere).
// AUTH_SECRET lives in Key Vault and reaches the app as a Key Vault reference.
// Deployed by `azd up` (azure.yaml) or `az deployment group create -f infra/main.bicep`.
targetScope = 'resourceGroup'

@minLength(1)
@description('Short name of the environment, used in resource names.')
param environmentName string

param location string = resourceGroup().location

@description('Where ACS stores data at rest.')
param acsDataLocation string = 'Europe'

@secure()
@description('next-auth session secret: `openssl rand -base64 32`. Stored in Key Vault only.')
param authSecret string

@description('Whether the web app exists already (azd: SERVICE_WEB_RESOURCE_EXISTS); then its deployed image is kept.')
param webExists bool = false

@description('Image until the first `azd deploy`; never replaces a deployed one (see webExists).')
param placeholderImage string = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'

// Contributor, the role the ACS docs assign for the Identity SDK with Microsoft Entra ID
// (https://learn.microsoft.com/en-us/azure/communication-services/quickstarts/identity/service-principal:
// `az ad sp create-for-rbac ... --role Contributor`), scoped here to the ACS resource alone.
@description('Built-in role the app needs on the ACS resource for the Identity API: Contributor.')
param acsRoleDefinitionId string = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var tags = { 'azd-env-name': environmentName }
var webAppName = 'ca-web-${suffix}'
var databaseName = 'acsstack'
// Built-in roles: AcrPull, Key Vault Secrets User.
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: 'log-${suffix}'
  location: location
  tags: tags
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource acs 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: 'acs-${suffix}'
  location: 'global'
  tags: tags
  properties: { dataLocation: acsDataLocation }
}

// Microsoft Entra authentication only: no administrator password exists. The app signs in as its
// managed identity with a token as the password (DATABASE_AUTH=entra), see the Entra admin below.
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: 'psql-${suffix}'
  location: location
  tags: tags
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '15'
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: subscription().tenantId
    }
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 7, geoRedundantBackup: 'Disabled' }
    highAvailability: { mode: 'Disabled' }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = {
  parent: postgres
  name: databaseName
}

// Lets Azure services (the Container Apps environment) reach the server; use VNet integration for stricter setups.
resource postgresAllowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'cr${suffix}'
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: { adminUserEnabled: false }
}

// Pulls images and reads Key Vault secrets before the app's own identity exists (a system identity
// is created with the app, too late for its first revision); the app's system identity is for ACS
// and PostgreSQL.
resource pullIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-pull-${suffix}'
  location: location
  tags: tags
}

resource pullRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, pullIdentity.id, 'acrpull')
  scope: registry
  properties: {
    principalId: pullIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${suffix}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource authSecretInVault 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'auth-secret'
  properties: { value: authSecret }
}

resource secretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, pullIdentity.id, 'secrets-user')
  scope: vault
  properties: {
    principalId: pullIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
  }
}

// The image the app runs now, when it exists (the azd `exists` pattern).
module webImage 'fetch-container-image.bicep' = {
  name: 'web-image'
  params: { exists: webExists, name: webAppName }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-${suffix}'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logs.properties.customerId, sharedKey: logs.listKeys().primarySharedKey }
    }
  }
}

resource web 'Microsoft.App/containerApps@2024-03-01' = {
  name: webAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  identity: {
    type: 'SystemAssigned,UserAssigned'
    userAssignedIdentities: { '${pullIdentity.id}': {} }
  }
  dependsOn: [pullRole, secretsRole]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 3000, transport: 'auto' }
      registries: [{ server: registry.properties.loginServer, identity: pullIdentity.id }]
      // A Key Vault reference: the value never appears in the app's configuration.
      secrets: [
        { name: 'auth-secret', keyVaultUrl: authSecretInVault.properties.secretUri, identity: pullIdentity.id }
      ]
    }
    template: {
      containers: [
        {
          name: 'web'
          image: webExists ? webImage.outputs.containers[0].image : placeholderImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            // One variable selects real ACS; the system-assigned identity authenticates (no keys).
            { name: 'ACS_ENDPOINT', value: 'https://${acs.properties.hostName}/' }
            { name: 'ACS_AUTH_MODEL', value: 'managed-identity' }
            // No password: the user is the app's identity (its Entra admin name is the app's name) and
            // DATABASE_AUTH=entra makes the app use an Entra token as the password.
            {
              name: 'DATABASE_URL'
              value: 'postgresql://${webAppName}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'
            }
            { name: 'DATABASE_AUTH', value: 'entra' }
            { name: 'AUTH_SECRET', secretRef: 'auth-secret' }
            { name: 'AUTH_TRUST_HOST', value: 'true' }
          ]
          // /api/health/<probe> (apps/web/src/app/api/health): startup = database open and migrated;
          // liveness = the process answers (no dependency: a restart fixes no outage elsewhere);
          // readiness = the database and the ACS control plane answer (each check bounded to 2 s).
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/api/health/startup', port: 3000 }
              initialDelaySeconds: 5
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: { path: '/api/health/live', port: 3000 }
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/api/health/ready', port: 3000 }
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 3 }
    }
  }
}

// The app's system identity is the server's Microsoft Entra administrator, so it can run the
// migrations. For least privilege, make another principal the admin and create the app's role with
// `select * from pgaadauth_create_principal('<app name>', false, false)` plus grants on the database.
module postgresEntraAdmin 'postgres-entra-admin.bicep' = {
  name: 'postgres-entra-admin'
  dependsOn: [postgresDatabase, postgresAllowAzure]
  params: {
    serverName: postgres.name
    principalId: web.identity.principalId
    principalName: webAppName
  }
}

// The app's own identity may create ACS users and issue, refresh and revoke their tokens.
resource webOnAcs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(acs.id, web.id, acsRoleDefinitionId)
  scope: acs
  properties: {
    principalId: web.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acsRoleDefinitionId)
  }
}

output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.properties.loginServer
output WEB_URL string = 'https://${web.properties.configuration.ingress.fqdn}'
output ACS_ENDPOINT string = 'https://${acs.properties.hostName}/'
output AZURE_KEY_VAULT_NAME string = vault.name
