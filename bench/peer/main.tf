# The peer in bench/peer.ts: 20 VMs cloned from vcsim's DC0_H0_VM0 with terraform-provider-vsphere, the way a
# Terraform user writes it (the provider's own clone example), to compare with a VmGroup of 20 at maxConcurrency 10.
terraform {
  required_providers {
    vsphere = {
      source  = "hashicorp/vsphere"
      version = "1.24.3"
    }
  }
}

variable "server" { type = string }
variable "user" { type = string }
variable "password" {
  type      = string
  sensitive = true
}
variable "replicas" {
  type    = number
  default = 20
}

provider "vsphere" {
  vsphere_server       = var.server
  user                 = var.user
  password             = var.password
  allow_unverified_ssl = true
}

data "vsphere_datacenter" "dc" {
  name = "DC0"
}

data "vsphere_datastore" "ds" {
  name          = "LocalDS_0"
  datacenter_id = data.vsphere_datacenter.dc.id
}

data "vsphere_resource_pool" "pool" {
  name          = "DC0_H0/Resources"
  datacenter_id = data.vsphere_datacenter.dc.id
}

data "vsphere_network" "net" {
  name          = "VM Network"
  datacenter_id = data.vsphere_datacenter.dc.id
}

data "vsphere_virtual_machine" "template" {
  name          = "DC0_H0_VM0"
  datacenter_id = data.vsphere_datacenter.dc.id
}

resource "vsphere_folder" "group" {
  path          = "peer"
  type          = "vm"
  datacenter_id = data.vsphere_datacenter.dc.id
}

resource "vsphere_virtual_machine" "vm" {
  count            = var.replicas
  name             = "peer-${count.index}"
  folder           = vsphere_folder.group.path
  resource_pool_id = data.vsphere_resource_pool.pool.id
  datastore_id     = data.vsphere_datastore.ds.id
  num_cpus         = 1
  memory           = 256
  guest_id         = data.vsphere_virtual_machine.template.guest_id

  network_interface {
    network_id = data.vsphere_network.net.id
  }

  disk {
    label = "disk0"
    size  = data.vsphere_virtual_machine.template.disks.0.size
  }

  clone {
    template_uuid = data.vsphere_virtual_machine.template.id
  }

  # vcsim has no guest tools: like VmGroup, the apply ends when the VMs are powered on.
  wait_for_guest_net_timeout = 0
  wait_for_guest_ip_timeout  = 0
}
