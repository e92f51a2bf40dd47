// acs-stack on Azure: an ACS resource, the web app on Container Apps with a system-assigned managed
// identity allowed to manage ACS identities and tokens, and PostgreSQL Flexible Server for app data.
// Deployed by `azd up` (azure.yaml) or `az deployment group create -f infra/main.bicep`.
targetScope = 'resourceGroup'

@minLength(1)
@description('Short name of the environment, used in resource names.')
param environmentName string

param location string = resourceGroup().location

@description('Where ACS stores data at rest.')
param acsDataLocation string = 'Europe'

@description('Administrator of the PostgreSQL server (used only by the app through DATABASE_URL).')
param postgresAdminLogin string = 'acsstack'

@secure()
@description('Password of the PostgreSQL administrator.')
param postgresAdminPassword string

@secure()
@description('next-auth session secret: `openssl rand -base64 32`.')
param authSecret string

@description('Container image of the web app; azd replaces it on deploy.')
param webImageName string = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'

@description('Built-in role the app needs on the ACS resource: Communication and Email Service Owner.')
param acsRoleDefinitionId string = '09976791-48a7-449e-bb21-39d1a415f350'

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var tags = { 'azd-env-name': environmentName }

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

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: 'psql-${suffix}'
  location: location
  tags: tags
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '15'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 7, geoRedundantBackup: 'Disabled' }
    highAvailability: { mode: 'Disabled' }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = {
  parent: postgres
  name: 'acsstack'
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

// Pulls images before the app's own identity exists; the app's system identity is only for ACS.
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
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
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
  name: 'ca-web-${suffix}'
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  identity: {
    type: 'SystemAssigned,UserAssigned'
    userAssignedIdentities: { '${pullIdentity.id}': {} }
  }
  dependsOn: [pullRole]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 3000, transport: 'auto' }
      registries: [{ server: registry.properties.loginServer, identity: pullIdentity.id }]
      secrets: [
        { name: 'auth-secret', value: authSecret }
        {
          name: 'database-url'
          value: 'postgresql://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${postgresDatabase.name}?sslmode=require'
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'web'
          image: webImageName
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            // One variable selects real ACS; the system-assigned identity authenticates (no keys).
            { name: 'ACS_ENDPOINT', value: 'https://${acs.properties.hostName}/' }
            { name: 'ACS_AUTH_MODEL', value: 'managed-identity' }
            { name: 'DATABASE_URL', secretRef: 'database-url' }
            { name: 'AUTH_SECRET', secretRef: 'auth-secret' }
            { name: 'AUTH_TRUST_HOST', value: 'true' }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 3 }
    }
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
